package config

import (
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zone names resolve on machines without a zone database
	"unicode"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/csvin"
)

// tierAt is a tier with where it is in the file.
type tierAt struct {
	model.Tier
	p       keyPath // tiers[i]
	written bool    // the tier has a criteria table
}

// build checks the decoded file and turns it into a Config. It reports the
// first problem it finds, at its line.
func (d *doc) build(f *fileConfig) (*Config, error) {
	prog := &model.Program{}
	if err := d.program(&f.Program, prog); err != nil {
		return nil, err
	}
	if err := d.metrics(f.Metrics, prog); err != nil {
		return nil, err
	}
	tiers, err := d.tiers(f.Tiers, prog)
	if err != nil {
		return nil, err
	}
	if err := d.tracks(f.Tracks, prog, tiers); err != nil {
		return nil, err
	}
	if err := d.managers(f.Managers, prog); err != nil {
		return nil, err
	}
	cols, err := d.production(&f.Import.Production, prog)
	if err != nil {
		return nil, err
	}
	cal, err := d.calendar(&f.Calendar, prog)
	if err != nil {
		return nil, err
	}
	deals, err := d.deals(&f.Import.Deals)
	if err != nil {
		return nil, err
	}
	// The checks above are stricter than Validate; this only guards the
	// promise that a parsed program is valid.
	if err := prog.Validate(); err != nil {
		return nil, &Error{File: d.name, Line: d.lines.line(keyPath{"tiers"}), Msg: err.Error()}
	}
	return &Config{Path: d.name, Program: prog, Production: cols, Deals: deals, Calendar: cal}, nil
}

// deals reads [import.deals]: every column named once, the won and lost
// stages apart, a date format the importer can read. Unset keys keep
// Salesforce's names.
func (d *doc) deals(fd *fileDeals) (csvin.DealColumns, error) {
	p := keyPath{"import", "deals"}
	cols := csvin.DefaultDealColumns()
	fields := []struct {
		key string
		in  *string
		out *string
	}{
		{"id", fd.ID, &cols.ID}, {"partner", fd.Partner, &cols.Partner}, {"amount", fd.Amount, &cols.Amount},
		{"stage", fd.Stage, &cols.Stage}, {"created", fd.Created, &cols.Created}, {"closed", fd.Closed, &cols.Closed},
		{"sourced", fd.Sourced, &cols.Sourced}, {"registered", fd.Registered, &cols.Registered},
	}
	seen := map[string]string{}
	for _, f := range fields {
		v, err := d.text(p.key(f.key), f.in, *f.out)
		if err != nil {
			return cols, err
		}
		*f.out = v
		k := strings.ToLower(v)
		if other, dup := seen[k]; dup {
			return cols, d.errorf(p.key(f.key), "column %s is also the %s column: each needs its own", quote(v), other)
		}
		seen[k] = f.key
	}
	stages := func(key string, in []string, def []string) ([]string, error) {
		if in == nil {
			return def, nil
		}
		var out []string
		for i, s := range in {
			s = strings.TrimSpace(s)
			if s == "" || strings.ContainsFunc(s, unsafeRune) {
				return nil, d.errorf(p.key(key), "%s[%d] %s is not a stage name", key, i, quote(in[i]))
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			return nil, d.errorf(p.key(key), "names no stage")
		}
		return out, nil
	}
	var err error
	if cols.WonStages, err = stages("won_stages", fd.WonStages, cols.WonStages); err != nil {
		return cols, err
	}
	if cols.LostStages, err = stages("lost_stages", fd.LostStages, cols.LostStages); err != nil {
		return cols, err
	}
	for _, w := range cols.WonStages {
		if slices.ContainsFunc(cols.LostStages, func(l string) bool { return strings.EqualFold(l, w) }) {
			return cols, d.errorf(p.key("lost_stages"), "stage %s is both won and lost", quote(w))
		}
	}
	if cols.DateFormat, err = d.text(p.key("date_format"), fd.DateFormat, cols.DateFormat); err != nil {
		return cols, err
	}
	if err := csvin.CheckDateFormat(cols.DateFormat); err != nil {
		return cols, d.errorf(p.key("date_format"), "%s: want auto, iso, us or a Go layout such as 02.01.2006", quote(cols.DateFormat))
	}
	return cols, nil
}

// calendar reads [calendar]. The zone defaults to UTC: a config that
// names none gets weeks that do not move with the machine it runs on.
func (d *doc) calendar(fc *fileCalendar, prog *model.Program) (Calendar, error) {
	p := keyPath{"calendar"}
	cal := Calendar{Zone: time.UTC}
	if fc.Timezone != nil {
		name := strings.TrimSpace(*fc.Timezone)
		loc, err := time.LoadLocation(name)
		// "Local" would make weeks move with the machine: exactly what
		// naming a zone is for.
		if err != nil || name == "" || name == "Local" {
			return cal, d.errorf(p.key("timezone"), "timezone %s is not an IANA zone name like \"America/New_York\"", quote(*fc.Timezone))
		}
		cal.Zone = loc
	}
	if fc.OwnerEmail != nil {
		email := strings.ToLower(strings.TrimSpace(*fc.OwnerEmail))
		if local, host, ok := strings.Cut(email, "@"); !ok || local == "" || !strings.Contains(host, ".") {
			return cal, d.errorf(p.key("owner_email"), "owner_email %s is not an email address", quote(*fc.OwnerEmail))
		}
		cal.Owner = email
	}
	for i, dom := range fc.InternalDomains {
		dom = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(dom), "@")))
		if dom == "" || strings.ContainsAny(dom, " @/") || !strings.Contains(dom, ".") {
			return cal, d.errorf(p.key("internal_domains"), "internal_domains[%d] %s is not a domain like \"acmecloud.example\"", i, quote(fc.InternalDomains[i]))
		}
		cal.Internal = append(cal.Internal, dom)
	}
	return cal, nil
}

func (d *doc) program(fp *fileProgram, prog *model.Program) error {
	p := keyPath{"program"}
	var err error
	if prog.Name, err = d.text(p.key("name"), fp.Name, DefaultProgramName); err != nil {
		return err
	}

	prog.Cadence = DefaultCadence
	if fp.Cadence != nil {
		c, err := model.ParseCadence(*fp.Cadence)
		if err != nil {
			want := `want "quarterly" or "half-yearly"`
			if _, perr := model.ParsePeriod(*fp.Cadence); perr == nil {
				return d.errorf(p.key("cadence"), "%s is a period, not a cadence: %s", quote(*fp.Cadence), want)
			}
			return d.errorf(p.key("cadence"), "%s is not a cadence: %s", quote(*fp.Cadence), want)
		}
		prog.Cadence = c
	}

	prog.Window = DefaultWindow
	if fp.Window != nil {
		prog.Window = *fp.Window
		if prog.Window < 1 || prog.Window > MaxWindow {
			return d.errorf(p.key("window"), "%d periods: the window is 1 to %d periods", prog.Window, MaxWindow)
		}
	}

	prog.GraceReviews = DefaultGraceReviews
	if fp.GraceReviews != nil {
		prog.GraceReviews = *fp.GraceReviews
		if prog.GraceReviews < 0 || prog.GraceReviews > MaxGraceReviews {
			return d.errorf(p.key("grace_reviews"), "%d: grace reviews are 0 (every miss demotes) to %d", prog.GraceReviews, MaxGraceReviews)
		}
	}

	prog.TopTierMaxShare = DefaultTopTierMaxShare
	if fp.TopTierMaxShare != nil {
		s := *fp.TopTierMaxShare
		if s <= 0 || s > 1 {
			hint := ""
			if s > 1 && s <= 100 {
				hint = " (for " + num(s) + "% write " + num(s/100) + ")"
			}
			return d.errorf(p.key("top_tier_max_share"), "%s: a share is more than 0 and at most 1%s", num(s), hint)
		}
		prog.TopTierMaxShare = s
	}

	prog.MinAlignment = DefaultMinAlignment
	if fp.MinAlignmentScore != nil {
		s := *fp.MinAlignmentScore
		if s < 0 || s > 100 {
			return d.errorf(p.key("min_alignment_score"), "%s: the alignment score is 0 to 100", num(s))
		}
		prog.MinAlignment = s
	}
	return nil
}

func (d *doc) metrics(fms []fileMetric, prog *model.Program) error {
	first := map[string]keyPath{}
	for i, fm := range fms {
		p := keyPath{"metrics"}.index(i)
		key, err := d.key(p.key("key"), fm.Key, "metric")
		if err != nil {
			return err
		}
		if at, ok := first[key]; ok {
			return d.errorf(p.key("key"), "metric key %s is used twice (first at line %d)", quote(key), d.lines.line(at))
		}
		first[key] = p.key("key")
		m := model.Metric{Key: key, Size: fm.Size}
		if m.Label, err = d.text(p.key("label"), fm.Label, key); err != nil {
			return err
		}
		if m.Singular, err = d.text(p.key("singular"), fm.Singular, ""); err != nil {
			return err
		}
		unit, err := d.oneOf(p.key("unit"), fm.Unit, "unit", "money", "count", "percent")
		if err != nil {
			return err
		}
		m.Unit = model.Unit(unit)
		agg, err := d.oneOf(p.key("aggregate"), fm.Aggregate, "aggregate", "sum", "latest")
		if err != nil {
			return err
		}
		m.Aggregate = model.Aggregate(agg)
		prog.Metrics = append(prog.Metrics, m)
	}
	return nil
}

// metric checks that p names a defined metric.
func (d *doc) metric(p keyPath, prog *model.Program, key string) (model.Metric, error) {
	m, ok := prog.Metric(key)
	if !ok {
		keys := make([]string, len(prog.Metrics))
		for i, m := range prog.Metrics {
			keys[i] = m.Key
		}
		list := "none are"
		if len(keys) > 0 {
			list = "metrics: " + strings.Join(keys, ", ")
		}
		return m, d.errorf(p, "metric %s is not defined (%s)", quote(key), list)
	}
	return m, nil
}

func (d *doc) tiers(fts []fileTier, prog *model.Program) ([]tierAt, error) {
	if len(fts) < 2 {
		msg := "a program needs at least two tiers, has none"
		if len(fts) == 1 {
			msg = "a program needs at least two tiers, has one"
			if fts[0].Key != nil {
				msg += " (" + quote(*fts[0].Key) + ")"
			}
		}
		return nil, d.errorf(keyPath{"tiers"}, "%s", msg)
	}
	var tiers []tierAt
	keys := map[string]keyPath{}
	ranks := map[int]tierAt{}
	for i, ft := range fts {
		p := keyPath{"tiers"}.index(i)
		key, err := d.key(p.key("key"), ft.Key, "tier")
		if err != nil {
			return nil, err
		}
		if at, ok := keys[key]; ok {
			return nil, d.errorf(p.key("key"), "tier key %s is used twice (first at line %d)", quote(key), d.lines.line(at))
		}
		keys[key] = p.key("key")
		t := tierAt{Tier: model.Tier{Key: key}, p: p, written: ft.Criteria != nil}
		if t.Name, err = d.text(p.key("name"), ft.Name, key); err != nil {
			return nil, err
		}
		if ft.Rank == nil {
			return nil, d.errorf(p.key("rank"), "missing: tier %s needs a rank (1 for the entry tier, higher up the ladder)", quote(key))
		}
		t.Rank = *ft.Rank
		if o, ok := ranks[t.Rank]; ok {
			return nil, d.errorf(p.key("rank"), "tier %s has rank %d, as tier %s does (line %d): every tier needs its own rank",
				quote(key), t.Rank, quote(o.Key), d.lines.line(o.p.key("rank")))
		}
		ranks[t.Rank] = t
		if ft.Criteria != nil {
			seen := map[string]keyPath{}
			for _, part := range []struct {
				name string
				in   []fileCriterion
				out  *[]model.Criterion
			}{{"all", ft.Criteria.All, &t.Criteria.All}, {"any", ft.Criteria.Any, &t.Criteria.Any}} {
				for j, fc := range part.in {
					cp := p.key("criteria").key(part.name).index(j)
					c, err := d.criterion(cp, fc, prog)
					if err != nil {
						return nil, err
					}
					if at, ok := seen[c.Metric]; ok {
						return nil, d.errorf(cp.key("metric"), "tier %s names metric %s twice in its criteria (first at line %d)",
							quote(key), quote(c.Metric), d.lines.line(at))
					}
					seen[c.Metric] = cp.key("metric")
					*part.out = append(*part.out, c)
				}
			}
		}
		if t.Allocation, err = d.allocation(p.key("allocation"), ft.Allocation); err != nil {
			return nil, err
		}
		tiers = append(tiers, t)
	}
	slices.SortStableFunc(tiers, func(a, b tierAt) int { return a.Rank - b.Rank })

	entry := tiers[0]
	if !entry.Criteria.Empty() {
		return nil, d.errorf(entry.p.key("criteria"), "tier %s is the entry tier (the lowest rank) and has no criteria: partners start there; give it a higher rank or move the criteria up",
			quote(entry.Key))
	}
	for _, t := range tiers[1:] {
		if t.Criteria.Empty() {
			p := t.p
			if t.written {
				p = p.key("criteria")
			}
			return nil, d.errorf(p, "tier %s has no criteria: every tier above the entry tier needs at least one, or every partner earns it", quote(t.Key))
		}
	}
	for i, t := range tiers {
		prog.Tiers = append(prog.Tiers, t.Tier)
		if i == 0 {
			continue
		}
		for _, c := range slices.Concat(t.Criteria.All, t.Criteria.Any) {
			lo, below, ok := lowerMin(tiers[:i], c.Metric, nil)
			if ok && c.Min < lo {
				m, _ := prog.Metric(c.Metric)
				return nil, d.errorf(t.criterionPath(c.Metric).key("min"), "%s", falls(m, t.Key, c.Min, below.Key, lo))
			}
		}
	}
	return tiers, nil
}

// criterionPath is the path of the tier's criterion on metric.
func (t tierAt) criterionPath(metric string) keyPath {
	for j, c := range t.Criteria.All {
		if c.Metric == metric {
			return t.p.key("criteria").key("all").index(j)
		}
	}
	for j, c := range t.Criteria.Any {
		if c.Metric == metric {
			return t.p.key("criteria").key("any").index(j)
		}
	}
	return t.p.key("criteria")
}

// lowerMin is the threshold on metric of the nearest tier below (tiers
// holds the tiers below, lowest first) that has a criterion on it, with the
// track's overrides applied.
func lowerMin(below []tierAt, metric string, over map[string]map[string]float64) (float64, tierAt, bool) {
	for j := len(below) - 1; j >= 0; j-- {
		if v, ok := below[j].Criteria.Min(metric); ok {
			if o, ok := over[below[j].Key][metric]; ok {
				v = o
			}
			return v, below[j], true
		}
	}
	return 0, tierAt{}, false
}

func falls(m model.Metric, tier string, v float64, below string, lo float64) string {
	a, b := model.FormatValue(m.Unit, v), model.FormatValue(m.Unit, lo)
	if a == b {
		a, b = num(v), num(lo)
	}
	return "tier " + quote(tier) + " needs at least " + a + " of metric " + quote(m.Key) +
		", less than the " + b + " of tier " + quote(below) + " below it: thresholds never fall going up the ladder"
}

func (d *doc) criterion(p keyPath, fc fileCriterion, prog *model.Program) (model.Criterion, error) {
	if fc.Metric == nil {
		return model.Criterion{}, d.errorf(p.key("metric"), "missing: a criterion names a metric")
	}
	m, err := d.metric(p.key("metric"), prog, *fc.Metric)
	if err != nil {
		return model.Criterion{}, err
	}
	if fc.Min == nil {
		return model.Criterion{}, d.errorf(p.key("min"), "missing: the criterion on metric %s needs a min", quote(m.Key))
	}
	if err := d.threshold(p.key("min"), m, *fc.Min); err != nil {
		return model.Criterion{}, err
	}
	return model.Criterion{Metric: m.Key, Min: *fc.Min}, nil
}

func (d *doc) threshold(p keyPath, m model.Metric, v float64) error {
	if v < 0 {
		return d.errorf(p, "%s: a threshold is not negative", num(v))
	}
	if m.Unit == model.Percent && v > 100 {
		return d.errorf(p, "%s: metric %s is a percent, 0 to 100", num(v), quote(m.Key))
	}
	return nil
}

func (d *doc) allocation(p keyPath, fa fileAllocation) (model.Allocation, error) {
	for _, v := range []struct {
		key string
		v   float64
	}{{"hours_per_week", fa.HoursPerWeek}, {"mdf_per_period", fa.MDFPerPeriod}, {"deal_reg_priority", float64(fa.DealRegPriority)}, {"margin_percent", fa.MarginPercent}} {
		if v.v < 0 {
			return model.Allocation{}, d.errorf(p.key(v.key), "%s: not negative", num(v.v))
		}
	}
	if fa.MarginPercent > 100 {
		return model.Allocation{}, d.errorf(p.key("margin_percent"), "%s: a margin is 0 to 100 percent", num(fa.MarginPercent))
	}
	a := model.Allocation{
		HoursPerWeek:    fa.HoursPerWeek,
		MDFPerPeriod:    fa.MDFPerPeriod,
		DealRegPriority: fa.DealRegPriority,
		MarginPercent:   fa.MarginPercent,
	}
	for i, b := range fa.Benefits {
		s, err := d.text(p.key("benefits").index(i), &b, "")
		if err != nil {
			return a, err
		}
		a.Benefits = append(a.Benefits, s)
	}
	return a, nil
}

func (d *doc) tracks(fts []fileTrack, prog *model.Program, tiers []tierAt) error {
	first := map[string]keyPath{}
	tierKeys := make([]string, len(tiers))
	for i, t := range tiers {
		tierKeys[i] = t.Key
	}
	for i, ft := range fts {
		p := keyPath{"tracks"}.index(i)
		key, err := d.key(p.key("key"), ft.Key, "track")
		if err != nil {
			return err
		}
		if at, ok := first[key]; ok {
			return d.errorf(p.key("key"), "track key %s is used twice (first at line %d)", quote(key), d.lines.line(at))
		}
		first[key] = p.key("key")
		tr := model.Track{Key: key}
		if tr.Name, err = d.text(p.key("name"), ft.Name, key); err != nil {
			return err
		}
		tp := p.key("thresholds")
		for _, tier := range byLine(d, tp, ft.Thresholds) {
			idx := slices.IndexFunc(tiers, func(t tierAt) bool { return t.Key == tier })
			if idx < 0 {
				return d.errorf(tp.key(tier), "tier %s is not defined (tiers: %s)", quote(tier), strings.Join(tierKeys, ", "))
			}
			t := tiers[idx]
			mins := ft.Thresholds[tier]
			for _, metric := range byLine(d, tp.key(tier), mins) {
				mp := tp.key(tier).key(metric)
				m, err := d.metric(mp, prog, metric)
				if err != nil {
					return err
				}
				if _, ok := t.Criteria.Min(metric); !ok {
					if idx == 0 {
						return d.errorf(mp, "tier %s is the entry tier and has no criteria to override", quote(tier))
					}
					return d.errorf(mp, "tier %s has no criterion on metric %s to override (its criteria: %s)",
						quote(tier), quote(metric), strings.Join(t.Criteria.Metrics(), ", "))
				}
				if err := d.threshold(mp, m, mins[metric]); err != nil {
					return err
				}
			}
			if len(mins) > 0 {
				if tr.Thresholds == nil {
					tr.Thresholds = map[string]map[string]float64{}
				}
				tr.Thresholds[tier] = mins
			}
		}
		// Thresholds never fall up the ladder in this track either.
		for i := 1; i < len(tiers); i++ {
			t := tiers[i]
			for _, c := range slices.Concat(t.Criteria.All, t.Criteria.Any) {
				v, overAbove := tr.Thresholds[t.Key][c.Metric]
				if !overAbove {
					v = c.Min
				}
				lo, below, ok := lowerMin(tiers[:i], c.Metric, tr.Thresholds)
				if !ok || v >= lo {
					continue
				}
				at := t.criterionPath(c.Metric).key("min")
				if overAbove {
					at = tp.key(t.Key).key(c.Metric)
				} else if _, ok := tr.Thresholds[below.Key][c.Metric]; ok {
					at = tp.key(below.Key).key(c.Metric)
				}
				m, _ := prog.Metric(c.Metric)
				return d.errorf(at, "in track %s, %s", quote(key), falls(m, t.Key, v, below.Key, lo))
			}
		}
		prog.Tracks = append(prog.Tracks, tr)
	}
	return nil
}

func (d *doc) managers(fms []fileManager, prog *model.Program) error {
	first := map[string]keyPath{}
	for i, fm := range fms {
		p := keyPath{"managers"}.index(i)
		if fm.Name == nil {
			return d.errorf(p.key("name"), "missing: every manager needs a name")
		}
		name, err := d.text(p.key("name"), fm.Name, "")
		if err != nil {
			return err
		}
		if at, ok := first[strings.ToLower(name)]; ok {
			return d.errorf(p.key("name"), "manager %s is listed twice (first at line %d)", quote(name), d.lines.line(at))
		}
		first[strings.ToLower(name)] = p.key("name")
		var email string
		if fm.Email != "" {
			if email, err = d.text(p.key("email"), &fm.Email, ""); err != nil {
				return err
			}
		}
		if fm.Capacity < 0 {
			return d.errorf(p.key("capacity_hours_per_week"), "%s: capacity is 0 or more hours a week", num(fm.Capacity))
		}
		prog.Managers = append(prog.Managers, model.Manager{Name: name, Email: email, CapacityHours: fm.Capacity})
	}
	return nil
}

func (d *doc) production(fp *fileProduction, prog *model.Program) (ProductionColumns, error) {
	p := keyPath{"import", "production"}
	cols := ProductionColumns{Metrics: map[string]string{}}
	var err error
	if cols.Partner, err = d.text(p.key("partner_column"), fp.PartnerColumn, DefaultPartnerColumn); err != nil {
		return cols, err
	}
	if cols.Period, err = d.text(p.key("period_column"), fp.PeriodColumn, DefaultPeriodColumn); err != nil {
		return cols, err
	}
	cp := p.key("columns")
	for _, metric := range byLine(d, cp, fp.Columns) {
		if _, err := d.metric(cp.key(metric), prog, metric); err != nil {
			return cols, err
		}
		col := fp.Columns[metric]
		if cols.Metrics[metric], err = d.text(cp.key(metric), &col, ""); err != nil {
			return cols, err
		}
	}

	// Every column is distinct, ignoring case and spaces as a header might.
	type column struct {
		name    string
		what    string
		p       keyPath
		written bool
	}
	all := []column{
		{cols.Partner, "the partner column", p.key("partner_column"), fp.PartnerColumn != nil},
		{cols.Period, "the period column", p.key("period_column"), fp.PeriodColumn != nil},
	}
	for i, m := range prog.Metrics {
		c := column{cols.Metrics[m.Key], "the column of metric " + quote(m.Key), cp.key(m.Key), true}
		if c.name == "" {
			c = column{m.Key, "the column of metric " + quote(m.Key), keyPath{"metrics"}.index(i).key("key"), false}
			cols.Metrics[m.Key] = m.Key
		}
		all = append(all, c)
	}
	for i, c := range all {
		for _, o := range all[:i] {
			if !strings.EqualFold(strings.TrimSpace(c.name), strings.TrimSpace(o.name)) {
				continue
			}
			at, other := c, o
			if !c.written && o.written {
				at, other = o, c
			}
			return cols, d.errorf(at.p, "column %s is also %s: map each to its own column under [import.production]",
				quote(at.name), other.what)
		}
	}
	return cols, nil
}

// text is an optional text value: def when missing; present, it is trimmed
// and must not be blank or hold control characters.
func (d *doc) text(p keyPath, s *string, def string) (string, error) {
	if s == nil {
		return def, nil
	}
	t := strings.TrimSpace(*s)
	if t == "" {
		return "", d.errorf(p, "is blank")
	}
	if strings.ContainsFunc(t, unsafeRune) {
		return "", d.errorf(p, "%s holds a control character", quote(t))
	}
	return t, nil
}

// key is a required key of letters, digits, "_" and "-".
func (d *doc) key(p keyPath, s *string, what string) (string, error) {
	if s == nil {
		return "", d.errorf(p, "missing: every %s needs a key", what)
	}
	k := *s
	if k == "" || strings.IndexFunc(k, func(r rune) bool { return r > 0x7f || !isBareKeyChar(byte(r)) }) >= 0 {
		return "", d.errorf(p, "%s is not a %s key: use letters, digits, \"_\" and \"-\"", quote(k), what)
	}
	return k, nil
}

// oneOf is a required value from a fixed list.
func (d *doc) oneOf(p keyPath, s *string, what string, allowed ...string) (string, error) {
	list := strings.Join(allowed, ", ")
	if s == nil {
		return "", d.errorf(p, "missing: the %s is one of %s", what, list)
	}
	if !slices.Contains(allowed, *s) {
		return "", d.errorf(p, "%s %s is not one of %s", what, quote(*s), list)
	}
	return *s, nil
}

// unsafeRune reports control characters and the invisible marks that
// reorder text (bidi controls): nothing from the file that reaches a
// terminal may hold them.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || r == 0x061c || r == 0x200e || r == 0x200f ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// clean escapes unsafe runes in a message from the toml package.
func clean(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
