package model

import (
	"fmt"
	"math"
	"strings"
)

// Evidence is one criterion checked against the partner's production.
type Evidence struct {
	Metric string
	Value  float64
	Min    float64
	Met    bool
	Gap    float64 // how much more is needed; zero when met
	Any    bool    // one of the "any" group, where one met is enough
}

// TierCheck is a tier's criteria checked against the partner's production.
type TierCheck struct {
	Tier     string
	Met      bool
	Evidence []Evidence
}

// Missed lists the evidence that falls short. When an "any" group is
// satisfied, its misses are left out: they did not matter.
func (c TierCheck) Missed() []Evidence {
	anyMet := false
	for _, e := range c.Evidence {
		if e.Any && e.Met {
			anyMet = true
		}
	}
	var out []Evidence
	for _, e := range c.Evidence {
		if !e.Met && !(e.Any && anyMet) {
			out = append(out, e)
		}
	}
	return out
}

// Evaluation is a partner measured for one period.
type Evaluation struct {
	Partner string
	Period  Period
	Track   string
	Current string // the tier the partner holds
	Earned  string // the highest tier whose criteria the production meets
	// Values are the aggregates over the window, by metric key.
	Values map[string]float64
	// Checks holds every tier's criteria against the values, entry tier first.
	Checks []TierCheck
}

// Check is the result for one tier.
func (e Evaluation) Check(tier string) (TierCheck, bool) {
	for _, c := range e.Checks {
		if c.Tier == tier {
			return c, true
		}
	}
	return TierCheck{}, false
}

// CurrentCheck is the partner's own tier's criteria against its production.
func (e Evaluation) CurrentCheck() TierCheck {
	c, _ := e.Check(e.Current)
	return c
}

// NextCheck is the tier above the current one, false at the top.
func (e Evaluation) NextCheck(p *Program) (TierCheck, bool) {
	i := p.TierIndex(e.Current)
	if i < 0 || i+1 >= len(p.Tiers) {
		return TierCheck{}, false
	}
	return e.Check(p.Tiers[i+1].Key)
}

// Evaluate measures a partner for period: each metric aggregated over the
// window ending at period, every tier's criteria (with the track's
// overrides) checked, and the highest tier met is the earned one. A review
// of 100k partners evaluates each several times, so the window is looked
// up in the series once and every tier's evidence shares one allocation.
func Evaluate(p *Program, partner *Partner, s Series, period Period) Evaluation {
	var buf [8]int
	rows := s.windowRows(period.Window(p.Window), buf[:0])
	ev := Evaluation{
		Partner: partner.ID,
		Period:  period,
		Track:   partner.Track,
		Current: partner.Tier,
		Values:  make(map[string]float64, len(p.Metrics)),
		Checks:  make([]TierCheck, len(p.Tiers)),
	}
	for _, m := range p.Metrics {
		ev.Values[m.Key] = s.aggregateMetric(m, rows)
	}
	tr, _ := p.Track(partner.Track)
	n := 0
	for _, t := range p.Tiers {
		c := p.tierCriteria(t.Key)
		n += len(c.All) + len(c.Any)
	}
	evidence := make([]Evidence, 0, n)
	ev.Earned = p.Tiers[0].Key
	for i, t := range p.Tiers {
		ev.Checks[i], evidence = checkCriteria(t.Key, p.tierCriteria(t.Key), tr.Thresholds[t.Key], ev.Values, evidence)
		if ev.Checks[i].Met {
			ev.Earned = t.Key
		}
	}
	return ev
}

// earnedIndex is p.TierIndex(Evaluate(p, partner, s, period).Earned),
// worked out without the evidence or the values' map: what counting a
// partner's misses back period by period needs.
func earnedIndex(p *Program, partner *Partner, s Series, period Period) int {
	var buf [8]int
	rows := s.windowRows(period.Window(p.Window), buf[:0])
	// The value of a criterion's metric, as Evaluate's map holds it: the
	// last metric with the key, zero when the program has none.
	value := func(key string) float64 {
		for i := len(p.Metrics) - 1; i >= 0; i-- {
			if p.Metrics[i].Key == key {
				return s.aggregateMetric(p.Metrics[i], rows)
			}
		}
		return 0
	}
	tr, _ := p.Track(partner.Track)
	earned := 0
	for i, t := range p.Tiers {
		c, over := p.tierCriteria(t.Key), tr.Thresholds[t.Key]
		met := true
		for _, cr := range c.All {
			met = met && value(cr.Metric) >= minFor(cr, over)
		}
		if len(c.Any) > 0 {
			anyMet := false
			for _, cr := range c.Any {
				anyMet = anyMet || value(cr.Metric) >= minFor(cr, over)
			}
			met = met && anyMet
		}
		if met {
			earned = i
		}
	}
	return p.TierIndex(p.Tiers[earned].Key)
}

// tierCriteria is the criteria of the first tier keyed key, as
// CriteriaFor reads them before the track's overrides.
func (p *Program) tierCriteria(key string) Criteria {
	if t, ok := p.Tier(key); ok {
		return t.Criteria
	}
	return Criteria{}
}

// minFor is a criterion's minimum with the track's override for it
// (CriteriaFor's rule).
func minFor(cr Criterion, over map[string]float64) float64 {
	if v, ok := over[cr.Metric]; ok {
		return v
	}
	return cr.Min
}

// checkCriteria checks tier's criteria, with the track's overrides over,
// against values. Its evidence is appended to buf, which it returns; the
// check's own slice is capped so appending to it never reaches into the
// next tier's.
func checkCriteria(tier string, c Criteria, over map[string]float64, values map[string]float64, buf []Evidence) (TierCheck, []Evidence) {
	start := len(buf)
	tc := TierCheck{Tier: tier, Met: true}
	for _, cr := range c.All {
		e := evidenceFor(cr.Metric, minFor(cr, over), values)
		tc.Met = tc.Met && e.Met
		buf = append(buf, e)
	}
	if len(c.Any) > 0 {
		anyMet := false
		for _, cr := range c.Any {
			e := evidenceFor(cr.Metric, minFor(cr, over), values)
			e.Any = true
			anyMet = anyMet || e.Met
			buf = append(buf, e)
		}
		tc.Met = tc.Met && anyMet
	}
	if len(buf) > start {
		tc.Evidence = buf[start:len(buf):len(buf)]
	}
	return tc, buf
}

func evidenceFor(metric string, min float64, values map[string]float64) Evidence {
	v := values[metric]
	e := Evidence{Metric: metric, Value: v, Min: min, Met: v >= min}
	if !e.Met {
		e.Gap = min - v
	}
	return e
}

// GapSentence says in words what a partner needs for a tier:
// "needs $40,000 more sourced pipeline and 1 more certified rep for Gold".
func GapSentence(p *Program, c TierCheck) string {
	name := p.TierName(c.Tier)
	if c.Met {
		return "meets every " + name + " criterion"
	}
	var all, anyOf []string
	anyMet := false
	for _, e := range c.Evidence {
		if e.Any && e.Met {
			anyMet = true
		}
	}
	for _, e := range c.Evidence {
		if e.Met {
			continue
		}
		m, _ := p.Metric(e.Metric)
		gap := e.Gap
		if m.Unit != Percent {
			gap = math.Ceil(gap) // never "needs $0 more": round what is missing up
		}
		phrase := FormatValue(m.Unit, gap) + " more " + m.Noun(gap)
		if e.Any {
			anyOf = append(anyOf, phrase)
		} else {
			all = append(all, phrase)
		}
	}
	if len(anyOf) > 0 && !anyMet {
		all = append(all, "one of "+strings.Join(anyOf, " or "))
	}
	return "needs " + joinAnd(all) + " for " + name
}

// EvidenceLine reads "sourced pipeline $0 of $250,000".
func EvidenceLine(p *Program, e Evidence) string {
	m, _ := p.Metric(e.Metric)
	// Concatenated, not Sprintf'd: a review writes a few of these per partner.
	return strings.ToLower(m.Label) + " " + FormatValue(m.Unit, e.Value) + " of " + FormatValue(m.Unit, e.Min)
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// listEvidence joins evidence lines with semicolons.
func listEvidence(p *Program, es []Evidence) string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = EvidenceLine(p, e)
	}
	return strings.Join(lines, "; ")
}

// Standing says where a partner stands against its own tier:
// "Misses every Gold criterion; earns Registered."
func Standing(p *Program, ev Evaluation) string {
	name := p.TierName(ev.Current)
	if p.TierIndex(ev.Current) < 0 {
		return fmt.Sprintf("%q is not a tier of this program; earns %s.", ev.Current, p.TierName(ev.Earned))
	}
	cur := ev.CurrentCheck()
	earns := ""
	if ev.Earned != ev.Current {
		earns = "; earns " + p.TierName(ev.Earned)
	}
	switch missed := cur.Missed(); {
	case len(cur.Evidence) == 0:
		return name + " is the entry tier" + earns + "."
	case len(missed) == 0:
		return "Meets every " + name + " criterion" + earns + "."
	case len(missed) == len(cur.Evidence):
		return "Misses every " + name + " criterion" + earns + "."
	default:
		var all, anyOf []string
		for _, e := range missed {
			m, _ := p.Metric(e.Metric)
			if e.Any {
				anyOf = append(anyOf, strings.ToLower(m.Label))
			} else {
				all = append(all, strings.ToLower(m.Label))
			}
		}
		if len(anyOf) > 0 {
			all = append(all, "one of "+strings.Join(anyOf, " or "))
		}
		return fmt.Sprintf("Misses %s on %s%s.", name, joinAnd(all), earns)
	}
}

// windowRows is where the series holds each period of the window (-1 for
// none), appended to buf; nil for a series with no production.
func (s Series) windowRows(window []Period, buf []int) []int {
	if s.shape == nil {
		return nil
	}
	return s.shape.rows(window, buf)
}

// aggregateMetric is s.Aggregate(m, window) for the window's rows found
// once by windowRows.
func (s Series) aggregateMetric(m Metric, rows []int) float64 {
	if s.shape == nil {
		return 0
	}
	j := s.shape.key(m.Key)
	if j < 0 {
		return 0
	}
	return s.aggregate(rows, j, m.Aggregate == Latest)
}
