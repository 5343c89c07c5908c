package model

import (
	"math"
	"time"
)

// Stage is where a deal stands: open, won or lost.
type Stage string

const (
	StageOpen Stage = "open"
	StageWon  Stage = "won"
	StageLost Stage = "lost"
)

// The metric keys a deals export is aggregated into. Only those the
// program defines are kept when the aggregate is imported.
const (
	MetricSourcedPipeline   = "sourced_pipeline"
	MetricSourcedRevenue    = "sourced_revenue"
	MetricInfluencedRevenue = "influenced_revenue"
	MetricRegisteredDeals   = "registered_deals"
	MetricWinRate           = "win_rate"
)

// Deal is one opportunity from a CRM export. Partner is whatever names the
// partner (an id once the store has resolved it). Zero times are absent.
type Deal struct {
	ID, Partner string
	Amount      float64
	Stage       Stage
	Created     time.Time
	Closed      time.Time
	Registered  time.Time
	// Sourced marks a partner-sourced deal; otherwise it is influenced.
	Sourced bool
}

// CountsIn reports whether the deal counts in period p of AggregateDeals:
// created, registered, or closed won or lost in it.
func (d *Deal) CountsIn(p Period) bool {
	in := func(t time.Time) bool { return !t.IsZero() && PeriodOf(t, p.Cad) == p }
	return in(d.Created) || in(d.Registered) || (d.closes() && in(d.Closed))
}

// closes reports whether the deal's close date counts: it was won or lost.
func (d *Deal) closes() bool { return d.Stage == StageWon || d.Stage == StageLost }

// AggregateDeals turns deals into per-partner, per-period metric values
// (partner → period → metric key → value):
//   - sourced_pipeline: the amount of sourced deals created in the period;
//   - sourced_revenue: the amount of sourced deals won, closed in the period;
//   - influenced_revenue: the same for influenced deals;
//   - registered_deals: the number of deals registered in the period;
//   - win_rate: won over won and lost, as a percent, of the deals closed in
//     the period; only in periods where any deal closed.
//
// A partner has an entry for each period in which any of its deals was
// created, registered or closed (won or lost); in it the four sums are all
// present, zero when nothing counted, so that a period the export covers
// is set as a whole. Money is summed in whole cents.
func AggregateDeals(deals []Deal, cadence Cadence) map[string]map[Period]map[string]float64 {
	type acc struct {
		pipeline, sourced, influenced int64 // cents
		registered                    int
		won, lost                     int
	}
	byPartner := map[string]map[Period]*acc{}
	get := func(partner string, t time.Time) *acc {
		periods := byPartner[partner]
		if periods == nil {
			periods = map[Period]*acc{}
			byPartner[partner] = periods
		}
		p := PeriodOf(t, cadence)
		a := periods[p]
		if a == nil {
			a = &acc{}
			periods[p] = a
		}
		return a
	}
	// Sums saturate rather than wrap: an absurd total must not read as a
	// negative one (the importers refuse amounts over a trillion).
	add := func(sum *int64, cents int64) {
		if cents > 0 && *sum > math.MaxInt64-cents {
			*sum = math.MaxInt64
			return
		}
		*sum += cents
	}
	for _, d := range deals {
		cents := int64(math.Round(min(d.Amount, 9e16) * 100))
		if !d.Created.IsZero() {
			a := get(d.Partner, d.Created)
			if d.Sourced {
				add(&a.pipeline, cents)
			}
		}
		if !d.Registered.IsZero() {
			get(d.Partner, d.Registered).registered++
		}
		if !d.Closed.IsZero() && d.closes() {
			a := get(d.Partner, d.Closed)
			switch d.Stage {
			case StageWon:
				a.won++
				if d.Sourced {
					add(&a.sourced, cents)
				} else {
					add(&a.influenced, cents)
				}
			case StageLost:
				a.lost++
			}
		}
	}
	out := make(map[string]map[Period]map[string]float64, len(byPartner))
	for partner, periods := range byPartner {
		pp := make(map[Period]map[string]float64, len(periods))
		for p, a := range periods {
			v := map[string]float64{
				MetricSourcedPipeline:   float64(a.pipeline) / 100,
				MetricSourcedRevenue:    float64(a.sourced) / 100,
				MetricInfluencedRevenue: float64(a.influenced) / 100,
				MetricRegisteredDeals:   float64(a.registered),
			}
			if closed := a.won + a.lost; closed > 0 {
				v[MetricWinRate] = math.Round(float64(a.won)*10000/float64(closed)) / 100
			}
			pp[p] = v
		}
		out[partner] = pp
	}
	return out
}
