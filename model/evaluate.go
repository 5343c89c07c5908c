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
// overrides) checked, and the highest tier met is the earned one.
func Evaluate(p *Program, partner *Partner, s Series, period Period) Evaluation {
	window := period.Window(p.Window)
	ev := Evaluation{
		Partner: partner.ID,
		Period:  period,
		Track:   partner.Track,
		Current: partner.Tier,
		Values:  make(map[string]float64, len(p.Metrics)),
		Checks:  make([]TierCheck, len(p.Tiers)),
	}
	for _, m := range p.Metrics {
		ev.Values[m.Key] = s.Aggregate(m, window)
	}
	ev.Earned = p.Tiers[0].Key
	for i, t := range p.Tiers {
		ev.Checks[i] = checkCriteria(t.Key, p.CriteriaFor(partner.Track, t.Key), ev.Values)
		if ev.Checks[i].Met {
			ev.Earned = t.Key
		}
	}
	return ev
}

func checkCriteria(tier string, c Criteria, values map[string]float64) TierCheck {
	tc := TierCheck{Tier: tier, Met: true}
	for _, cr := range c.All {
		e := evidenceFor(cr, values)
		tc.Met = tc.Met && e.Met
		tc.Evidence = append(tc.Evidence, e)
	}
	if len(c.Any) > 0 {
		anyMet := false
		for _, cr := range c.Any {
			e := evidenceFor(cr, values)
			e.Any = true
			anyMet = anyMet || e.Met
			tc.Evidence = append(tc.Evidence, e)
		}
		tc.Met = tc.Met && anyMet
	}
	return tc
}

func evidenceFor(cr Criterion, values map[string]float64) Evidence {
	v := values[cr.Metric]
	e := Evidence{Metric: cr.Metric, Value: v, Min: cr.Min, Met: v >= cr.Min}
	if !e.Met {
		e.Gap = cr.Min - v
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
	return fmt.Sprintf("%s %s of %s", strings.ToLower(m.Label), FormatValue(m.Unit, e.Value), FormatValue(m.Unit, e.Min))
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
