package config

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The file as written. Pointers tell a missing key from a zero value where a
// default or a "required" error depends on it.
type fileConfig struct {
	Program  fileProgram   `toml:"program"`
	Metrics  []fileMetric  `toml:"metrics"`
	Tiers    []fileTier    `toml:"tiers"`
	Tracks   []fileTrack   `toml:"tracks"`
	Managers []fileManager `toml:"managers"`
	Import   fileImport    `toml:"import"`
	Calendar fileCalendar  `toml:"calendar"`
}

type fileCalendar struct {
	Timezone        *string  `toml:"timezone"`
	OwnerEmail      *string  `toml:"owner_email"`
	InternalDomains []string `toml:"internal_domains"`
}

type fileProgram struct {
	Name              *string  `toml:"name"`
	Cadence           *string  `toml:"cadence"`
	Window            *int     `toml:"window"`
	GraceReviews      *int     `toml:"grace_reviews"`
	TopTierMaxShare   *float64 `toml:"top_tier_max_share"`
	MinAlignmentScore *float64 `toml:"min_alignment_score"`
}

type fileMetric struct {
	Key       *string `toml:"key"`
	Label     *string `toml:"label"`
	Singular  *string `toml:"singular"`
	Unit      *string `toml:"unit"`
	Aggregate *string `toml:"aggregate"`
	Size      bool    `toml:"size"`
}

type fileTier struct {
	Key        *string        `toml:"key"`
	Name       *string        `toml:"name"`
	Rank       *int           `toml:"rank"`
	Criteria   *fileCriteria  `toml:"criteria"`
	Allocation fileAllocation `toml:"allocation"`
}

type fileCriteria struct {
	All []fileCriterion `toml:"all"`
	Any []fileCriterion `toml:"any"`
}

type fileCriterion struct {
	Metric *string  `toml:"metric"`
	Min    *float64 `toml:"min"`
}

type fileAllocation struct {
	HoursPerWeek    float64  `toml:"hours_per_week"`
	MDFPerPeriod    float64  `toml:"mdf_per_period"`
	DealRegPriority int      `toml:"deal_reg_priority"`
	MarginPercent   float64  `toml:"margin_percent"`
	Benefits        []string `toml:"benefits"`
}

type fileTrack struct {
	Key  *string `toml:"key"`
	Name *string `toml:"name"`
	// tier key → metric key → min
	Thresholds map[string]map[string]float64 `toml:"thresholds"`
}

type fileManager struct {
	Name     *string `toml:"name"`
	Email    string  `toml:"email"`
	Capacity float64 `toml:"capacity_hours_per_week"`
}

type fileImport struct {
	Production fileProduction `toml:"production"`
	Deals      fileDeals      `toml:"deals"`
}

// fileDeals names the columns of a CRM deal or opportunity export.
type fileDeals struct {
	ID         *string  `toml:"id"`
	Partner    *string  `toml:"partner"`
	Amount     *string  `toml:"amount"`
	Stage      *string  `toml:"stage"`
	Created    *string  `toml:"created"`
	Closed     *string  `toml:"closed"`
	Sourced    *string  `toml:"sourced"`
	Registered *string  `toml:"registered"`
	WonStages  []string `toml:"won_stages"`
	LostStages []string `toml:"lost_stages"`
	DateFormat *string  `toml:"date_format"`
}

type fileProduction struct {
	PartnerColumn *string `toml:"partner_column"`
	PeriodColumn  *string `toml:"period_column"`
	// metric key → column name
	Columns map[string]string `toml:"columns"`
}

// decode fills rv from the value v the toml package parsed at path p. It
// does what toml's own decoding into structs does, but knows the full path
// of every value (array indices included), so a wrong type or an unknown key
// is reported at its own line. Problems are collected in d.errs.
func (d *doc) decode(p keyPath, v any, rv reflect.Value) bool {
	switch rv.Kind() {
	case reflect.Pointer:
		e := reflect.New(rv.Type().Elem())
		if !d.decode(p, v, e.Elem()) {
			return false
		}
		rv.Set(e)
		return true
	case reflect.Struct:
		tm, ok := v.(map[string]any)
		if !ok {
			return d.badType(p, "a table", v)
		}
		fields := tableFields(rv.Type())
		ok = true
		for k, val := range tm {
			i, known := fields[k]
			if !known {
				d.unknownKey(p, k, rv.Type())
				ok = false
				continue
			}
			if !d.decode(p.key(k), val, rv.Field(i)) {
				ok = false
			}
		}
		return ok
	case reflect.Map:
		tm, ok := v.(map[string]any)
		if !ok {
			return d.badType(p, "a table", v)
		}
		m := reflect.MakeMapWithSize(rv.Type(), len(tm))
		ok = true
		for k, val := range tm {
			e := reflect.New(rv.Type().Elem()).Elem()
			if d.decode(p.key(k), val, e) {
				m.SetMapIndex(reflect.ValueOf(k), e)
			} else {
				ok = false
			}
		}
		rv.Set(m)
		return ok
	case reflect.Slice:
		av := reflect.ValueOf(v)
		if v == nil || av.Kind() != reflect.Slice {
			return d.badType(p, "an array", v)
		}
		s := reflect.MakeSlice(rv.Type(), av.Len(), av.Len())
		ok := true
		for i := range av.Len() {
			if !d.decode(p.index(i), av.Index(i).Interface(), s.Index(i)) {
				ok = false
			}
		}
		rv.Set(s)
		return ok
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return d.badType(p, "a string", v)
		}
		rv.SetString(s)
		return true
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return d.badType(p, "true or false", v)
		}
		rv.SetBool(b)
		return true
	case reflect.Int:
		n, ok := v.(int64)
		if !ok {
			return d.badType(p, "a whole number", v)
		}
		if rv.OverflowInt(n) {
			d.errs = append(d.errs, d.errorf(p, "%d is too large", n))
			return false
		}
		rv.SetInt(n)
		return true
	case reflect.Float64:
		var f float64
		switch n := v.(type) {
		case float64:
			f = n
		case int64:
			f = float64(n)
		default:
			return d.badType(p, "a number", v)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return d.badType(p, "a finite number", v)
		}
		rv.SetFloat(f)
		return true
	}
	panic("config: no decoding for " + rv.Type().String())
}

func (d *doc) badType(p keyPath, want string, v any) bool {
	d.errs = append(d.errs, d.errorf(p, "want %s, got %s", want, describe(v)))
	return false
}

func (d *doc) unknownKey(p keyPath, k string, t reflect.Type) {
	known := tableKeys(t)
	msg := fmt.Sprintf("unknown key %q", k)
	if s := closest(k, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	where := "at the top level"
	if len(p) > 0 {
		where = "in [" + unindexed(p) + "]"
	}
	msg += fmt.Sprintf("; the keys %s are %s", where, strings.Join(known, ", "))
	d.errs = append(d.errs, d.errorf(p.key(k), "%s", msg))
}

// unindexed is p as a table header names it: tiers.criteria.all.
func unindexed(p keyPath) string {
	var keys keyPath
	for _, s := range p {
		if !strings.HasPrefix(s, "[") {
			keys = append(keys, s)
		}
	}
	return keys.String()
}

// tableFields maps the toml keys of a struct to field indices.
func tableFields(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		m[t.Field(i).Tag.Get("toml")] = i
	}
	return m
}

// tableKeys lists the toml keys of a struct in their order.
func tableKeys(t reflect.Type) []string {
	keys := make([]string, t.NumField())
	for i := range t.NumField() {
		keys[i] = t.Field(i).Tag.Get("toml")
	}
	return keys
}

// describe names a parsed TOML value for an error message.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return "the string " + quote(v)
	case int64:
		return "the integer " + strconv.FormatInt(v, 10)
	case float64:
		return "the number " + strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return "a date"
	case map[string]any:
		return "a table"
	case []map[string]any, []any:
		return "an array"
	}
	return fmt.Sprintf("a %T", v)
}

// quote quotes text from the file for a message: escaped, so no control
// character reaches a terminal, and cut short when long.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		return strconv.Quote(string(r[:max])) + "…"
	}
	return strconv.Quote(s)
}

// closest is the candidate nearest to s when it is near enough to be a typo.
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := distance(strings.ToLower(s), c); d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" && bestD*3 > max(len(best), 3)+1 {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// byLine lists the keys of m (a table at p) in the order the file has them.
func byLine[T any](d *doc, p keyPath, m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if la, lb := d.lines.line(p.key(a)), d.lines.line(p.key(b)); la != lb {
			return la - lb
		}
		return strings.Compare(a, b)
	})
	return keys
}
