package model

import (
	"fmt"
	"slices"
	"strings"
)

// Unit says how a metric's values read.
type Unit string

const (
	Money   Unit = "money"
	Count   Unit = "count"
	Percent Unit = "percent"
)

// Aggregate says how a metric combines over the evaluation window.
type Aggregate string

const (
	// Sum adds the window's periods: flows such as pipeline or revenue.
	Sum Aggregate = "sum"
	// Latest takes the most recent period with a value: stocks such as certified reps.
	Latest Aggregate = "latest"
)

// Metric is one production measure a tier can require.
type Metric struct {
	Key       string
	Label     string // "Sourced pipeline"
	Singular  string // "certified rep", for "1 more certified rep"; defaults to the label
	Unit      Unit
	Aggregate Aggregate
	// Size marks metrics about the partner's own business (employees,
	// company revenue). Tiers must never be earned on them.
	Size bool
}

// Noun is how the metric reads in a sentence for the amount v.
func (m Metric) Noun(v float64) string {
	if m.Unit == Count && v == 1 && m.Singular != "" {
		return m.Singular
	}
	return strings.ToLower(m.Label)
}

// Criterion is one threshold: the metric's aggregate must be at least Min.
type Criterion struct {
	Metric string
	Min    float64
}

// Criteria are met when every All criterion is met and, if Any is not
// empty, at least one Any criterion is.
type Criteria struct {
	All []Criterion
	Any []Criterion
}

// Empty reports whether the criteria require nothing (the entry tier).
func (c Criteria) Empty() bool { return len(c.All) == 0 && len(c.Any) == 0 }

// Metrics lists the metric keys the criteria name, All first.
func (c Criteria) Metrics() []string {
	var out []string
	for _, cr := range slices.Concat(c.All, c.Any) {
		if !slices.Contains(out, cr.Metric) {
			out = append(out, cr.Metric)
		}
	}
	return out
}

// Min is the threshold for metric in the criteria, if any.
func (c Criteria) Min(metric string) (float64, bool) {
	for _, cr := range slices.Concat(c.All, c.Any) {
		if cr.Metric == metric {
			return cr.Min, true
		}
	}
	return 0, false
}

// Allocation is what a tier buys for each partner in it.
type Allocation struct {
	HoursPerWeek float64 // partner-manager hours per partner per week
	MDFPerPeriod float64 // market development funds per partner per period
	// DealRegPriority orders deal registrations: higher is served first.
	DealRegPriority int
	MarginPercent   float64
	Benefits        []string
}

// Tier is one rung of the ladder.
type Tier struct {
	Key        string
	Name       string
	Rank       int // 1 is the entry tier
	Criteria   Criteria
	Allocation Allocation
}

// Track is a partner type (reseller, isv, referral) with its own thresholds
// for some tiers: the hybrid model, tracks by motion with production levels
// inside each.
type Track struct {
	Key  string
	Name string
	// Thresholds overrides a tier's minimum per metric: tier key → metric key → min.
	Thresholds map[string]map[string]float64
}

// Manager is a partner manager and the hours a week they can give partners.
type Manager struct {
	Name          string
	Email         string
	CapacityHours float64
}

// Program is the whole tier chart: what the config describes.
type Program struct {
	Name    string
	Cadence Cadence
	// Window is how many periods, ending at the reviewed one, production
	// is aggregated over.
	Window int
	// GraceReviews is how many consecutive misses are held before a
	// demotion: 1 means the first miss is a grace hold.
	GraceReviews int
	// TopTierMaxShare is the share of active partners (0..1) above which
	// the top tier counts as crowded.
	TopTierMaxShare float64
	// MinAlignment is the calendar alignment score (0..100) below which the
	// health check warns.
	MinAlignment float64
	Metrics      []Metric
	Tiers        []Tier // sorted by rank, entry tier first
	Tracks       []Track
	Managers     []Manager
}

// Metric finds a metric by key.
func (p *Program) Metric(key string) (Metric, bool) {
	for _, m := range p.Metrics {
		if m.Key == key {
			return m, true
		}
	}
	return Metric{}, false
}

// TierIndex is the position of the tier on the ladder (0 = entry), or -1.
func (p *Program) TierIndex(key string) int {
	return slices.IndexFunc(p.Tiers, func(t Tier) bool { return t.Key == key })
}

// Tier finds a tier by key.
func (p *Program) Tier(key string) (Tier, bool) {
	if i := p.TierIndex(key); i >= 0 {
		return p.Tiers[i], true
	}
	return Tier{}, false
}

// TierName is the display name of a tier key, or the key itself.
func (p *Program) TierName(key string) string {
	if t, ok := p.Tier(key); ok {
		return t.Name
	}
	return key
}

// FindTier accepts a tier key or name, ignoring case.
func (p *Program) FindTier(s string) (Tier, bool) {
	s = strings.TrimSpace(s)
	for _, t := range p.Tiers {
		if strings.EqualFold(t.Key, s) || strings.EqualFold(t.Name, s) {
			return t, true
		}
	}
	return Tier{}, false
}

// EntryTier is the lowest tier.
func (p *Program) EntryTier() Tier { return p.Tiers[0] }

// TopTier is the highest tier.
func (p *Program) TopTier() Tier { return p.Tiers[len(p.Tiers)-1] }

// Track finds a track by key.
func (p *Program) Track(key string) (Track, bool) {
	for _, t := range p.Tracks {
		if t.Key == key {
			return t, true
		}
	}
	return Track{}, false
}

// CriteriaFor is the tier's criteria with the track's overrides applied.
func (p *Program) CriteriaFor(track, tier string) Criteria {
	t, ok := p.Tier(tier)
	if !ok {
		return Criteria{}
	}
	tr, _ := p.Track(track)
	over := tr.Thresholds[tier]
	apply := func(in []Criterion) []Criterion {
		if in == nil {
			return nil
		}
		out := make([]Criterion, len(in))
		for i, c := range in {
			if v, ok := over[c.Metric]; ok {
				c.Min = v
			}
			out[i] = c
		}
		return out
	}
	return Criteria{All: apply(t.Criteria.All), Any: apply(t.Criteria.Any)}
}

// Manager finds a manager by name, ignoring case.
func (p *Program) Manager(name string) (Manager, bool) {
	for _, m := range p.Managers {
		if strings.EqualFold(m.Name, name) {
			return m, true
		}
	}
	return Manager{}, false
}

// Validate checks the rules every program must keep: at least two tiers,
// unique keys, criteria naming defined metrics, no criteria on the entry
// tier, and thresholds that never fall going up the ladder (per track).
// Config parsing reports the file and line; this names the tier and metric.
func (p *Program) Validate() error {
	if len(p.Tiers) < 2 {
		return fmt.Errorf("tiers: a program needs at least two tiers, has %d", len(p.Tiers))
	}
	seen := map[string]bool{}
	for _, m := range p.Metrics {
		if m.Key == "" {
			return fmt.Errorf("metrics: a metric has no key")
		}
		if seen["m:"+m.Key] {
			return fmt.Errorf("metrics: metric key %q is used twice", m.Key)
		}
		seen["m:"+m.Key] = true
	}
	for i, t := range p.Tiers {
		if t.Key == "" {
			return fmt.Errorf("tiers: tier %d has no key", i+1)
		}
		if seen["t:"+t.Key] {
			return fmt.Errorf("tiers: tier key %q is used twice", t.Key)
		}
		seen["t:"+t.Key] = true
		if i > 0 && t.Rank <= p.Tiers[i-1].Rank {
			return fmt.Errorf("tier %q: ranks must rise up the ladder", t.Key)
		}
		for _, c := range slices.Concat(t.Criteria.All, t.Criteria.Any) {
			if _, ok := p.Metric(c.Metric); !ok {
				return fmt.Errorf("tier %q: criteria name metric %q, which is not defined", t.Key, c.Metric)
			}
		}
	}
	if !p.Tiers[0].Criteria.Empty() {
		return fmt.Errorf("tier %q: the entry tier has no criteria", p.Tiers[0].Key)
	}
	for _, tr := range p.Tracks {
		if seen["r:"+tr.Key] {
			return fmt.Errorf("tracks: track key %q is used twice", tr.Key)
		}
		seen["r:"+tr.Key] = true
		for tier, mins := range tr.Thresholds {
			t, ok := p.Tier(tier)
			if !ok {
				return fmt.Errorf("track %q: thresholds name tier %q, which is not defined", tr.Key, tier)
			}
			for metric := range mins {
				if _, ok := t.Criteria.Min(metric); !ok {
					return fmt.Errorf("track %q: tier %q has no criterion on metric %q to override", tr.Key, tier, metric)
				}
			}
		}
	}
	tracks := []string{""}
	for _, tr := range p.Tracks {
		tracks = append(tracks, tr.Key)
	}
	for _, track := range tracks {
		// Compare each threshold with the nearest lower tier that has the
		// metric, so a fall across a tier without it is still caught.
		floor := map[string]float64{}
		floorTier := map[string]string{}
		for _, t := range p.Tiers {
			c := p.CriteriaFor(track, t.Key)
			for _, m := range c.Metrics() {
				v, _ := c.Min(m)
				if lo, ok := floor[m]; ok && v < lo {
					where := ""
					if track != "" {
						where = fmt.Sprintf(" in track %q", track)
					}
					return fmt.Errorf("tier %q: threshold for metric %q (%s) falls below tier %q's (%s)%s",
						t.Key, m, fmtPlain(v), floorTier[m], fmtPlain(lo), where)
				}
				floor[m], floorTier[m] = v, t.Key
			}
		}
	}
	return nil
}
