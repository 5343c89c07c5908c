package ics

import (
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/url"
	"strings"
	"time"
)

// unescapeText decodes a TEXT value: \n and \N are line breaks, \\ \; \,
// stand for themselves, and any other escaped character (Outlook writes
// \:) is kept without its backslash. A vCalendar 1.0 value marked
// ENCODING=QUOTED-PRINTABLE is decoded first.
func unescapeText(p *prop) string {
	v := p.value
	if strings.EqualFold(p.param("ENCODING"), "QUOTED-PRINTABLE") {
		if b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(v))); err == nil {
			v = string(b)
		}
	}
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 == len(v) {
			b.WriteByte(c)
			continue
		}
		i++
		switch v[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			b.WriteByte(v[i])
		}
	}
	return b.String()
}

// splitList splits a comma-separated value list, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// stamp is a DATE or DATE-TIME value as written, before a zone is applied.
type stamp struct {
	year, day, hour, min, sec int
	month                     time.Month
	date                      bool // DATE, no time of day
	utc                       bool // ends in Z
}

var errBadDate = errors.New("not a date or date-time")

// parseStamp reads 20060102, 20060102T150405 and 20060102T150405Z, and
// forgives what exporters get wrong: lower case, ISO 8601 dashes and colons,
// missing seconds, fractional seconds, T240000.
func parseStamp(v string) (stamp, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	if strings.ContainsAny(v, "-:") && len(v) > 8 {
		v = strings.NewReplacer("-", "", ":", "").Replace(v)
	}
	var s stamp
	if strings.HasSuffix(v, "Z") {
		s.utc = true
		v = v[:len(v)-1]
	}
	if i := strings.IndexByte(v, '.'); i > 0 {
		v = v[:i]
	}
	num := func(from, to int) (int, bool) {
		n := 0
		for i := from; i < to; i++ {
			c := v[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	if len(v) < 8 {
		return stamp{}, errBadDate
	}
	y, ok1 := num(0, 4)
	m, ok2 := num(4, 6)
	d, ok3 := num(6, 8)
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return stamp{}, errBadDate
	}
	s.year, s.month, s.day = y, time.Month(m), d
	if len(v) == 8 {
		if s.utc {
			return stamp{}, errBadDate
		}
		s.date = true
		return s, nil
	}
	if v[8] != 'T' || (len(v) != 13 && len(v) != 15) {
		return stamp{}, errBadDate
	}
	h, ok1 := num(9, 11)
	mi, ok2 := num(11, 13)
	sec, ok3 := 0, true
	if len(v) == 15 {
		sec, ok3 = num(13, 15)
	}
	if !ok1 || !ok2 || !ok3 || h > 24 || mi > 59 || sec > 60 || h == 24 && (mi != 0 || sec != 0) {
		return stamp{}, errBadDate
	}
	if sec == 60 {
		sec = 59 // a leap second: close enough
	}
	s.hour, s.min, s.sec = h, mi, sec
	return s, nil
}

// in is the stamp as a time in loc (UTC when the stamp ends in Z).
func (s stamp) in(loc *time.Location) time.Time {
	if s.utc {
		loc = time.UTC
	}
	return time.Date(s.year, s.month, s.day, s.hour, s.min, s.sec, 0, loc)
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// maxSpanDays bounds how long one meeting may last, so that window
// arithmetic in time.Duration cannot overflow.
const maxSpanDays = 36600

// duration is an iCalendar DURATION: whole days (nominal: they follow the
// wall clock across a DST change) plus exact seconds.
type duration struct {
	days int
	secs int64
	neg  bool
}

// add is t moved by the duration.
func (d duration) add(t time.Time) time.Time {
	if d.neg {
		return t.AddDate(0, 0, -d.days).Add(-time.Duration(d.secs) * time.Second)
	}
	return t.AddDate(0, 0, d.days).Add(time.Duration(d.secs) * time.Second)
}

func (d duration) zero() bool { return d.days == 0 && d.secs == 0 }

// parseDuration reads [+-]P[nW][nD][T[nH][nM][nS]], forgiving lower case and
// weeks or days written after the T.
func parseDuration(v string) (duration, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	var d duration
	if v != "" && (v[0] == '-' || v[0] == '+') {
		d.neg = v[0] == '-'
		v = v[1:]
	}
	if !strings.HasPrefix(v, "P") || len(v) < 2 {
		return duration{}, fmt.Errorf("not a duration: %q", v)
	}
	v = v[1:]
	inTime := false
	for len(v) > 0 {
		if v[0] == 'T' {
			inTime = true
			v = v[1:]
			continue
		}
		i := 0
		n := int64(0)
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			if i >= 9 {
				return duration{}, fmt.Errorf("duration too long: %q", v)
			}
			n = n*10 + int64(v[i]-'0')
			i++
		}
		if i == 0 || i == len(v) {
			return duration{}, fmt.Errorf("not a duration: %q", v)
		}
		switch v[i] {
		case 'W':
			d.days += int(n) * 7
		case 'D':
			d.days += int(n)
		case 'H':
			d.secs += n * 3600
		case 'S':
			d.secs += n
		case 'M':
			if !inTime {
				return duration{}, errors.New("months are not a duration in iCalendar")
			}
			d.secs += n * 60
		default:
			return duration{}, fmt.Errorf("not a duration: %q", v)
		}
		v = v[i+1:]
	}
	if d.days > maxSpanDays || d.secs > maxSpanDays*86400 {
		return duration{}, errors.New("longer than a century")
	}
	return d, nil
}

// parseOffset reads a UTC offset like +0100, -053000 or +01:00, in seconds.
func parseOffset(v string) (int, error) {
	v = strings.ReplaceAll(strings.TrimSpace(v), ":", "")
	if len(v) != 5 && len(v) != 7 || v[0] != '+' && v[0] != '-' {
		return 0, fmt.Errorf("not a UTC offset: %q", v)
	}
	n := 0
	for _, c := range v[1:] {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("not a UTC offset: %q", v)
		}
	}
	h := int(v[1]-'0')*10 + int(v[2]-'0')
	m := int(v[3]-'0')*10 + int(v[4]-'0')
	s := 0
	if len(v) == 7 {
		s = int(v[5]-'0')*10 + int(v[6]-'0')
	}
	if h > 23 || m > 59 || s > 59 {
		return 0, fmt.Errorf("not a UTC offset: %q", v)
	}
	n = h*3600 + m*60 + s
	if v[0] == '-' {
		n = -n
	}
	return n, nil
}

// email reads a CAL-ADDRESS: "mailto:" (any case) stripped, percent
// escapes decoded, lower case. It falls back to the EMAIL parameter Apple
// writes beside a non-mailto address. "" when there is no email.
func email(p *prop) string {
	v := strings.TrimSpace(p.value)
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		v = v[7:]
	} else if i := strings.IndexByte(v, ':'); i >= 0 && !strings.Contains(v[:i], "@") {
		v = "" // urn:uuid:..., invalid:nomail
	}
	if !strings.Contains(v, "@") {
		v = strings.TrimSpace(p.param("EMAIL"))
		if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
			v = v[7:]
		}
	}
	if strings.Contains(v, "%") {
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
	}
	v = strings.Trim(strings.TrimSpace(v), "<>\"")
	if !strings.Contains(v, "@") {
		return ""
	}
	return strings.ToLower(v)
}
