package model

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func TestAggregateDeals(t *testing.T) {
	d := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		tm, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		return tm
	}
	type vals = map[string]float64
	tests := []struct {
		name    string
		cadence Cadence
		deals   []Deal
		want    map[string]map[string]vals // partner → period → values
	}{
		{
			name:    "quarterly, all metrics",
			cadence: Quarterly,
			deals: []Deal{
				{ID: "1", Partner: "acme", Amount: 1234.50, Stage: StageWon, Created: d("2026-01-15"), Closed: d("2026-02-20"), Registered: d("2026-01-10"), Sourced: true},
				{ID: "2", Partner: "acme", Amount: 0.10, Stage: StageOpen, Created: d("2026-03-31"), Sourced: true},
				{ID: "3", Partner: "acme", Amount: 0.20, Stage: StageOpen, Created: d("2026-03-31"), Sourced: true},
				{ID: "4", Partner: "acme", Amount: 500, Stage: StageLost, Created: d("2026-01-05"), Closed: d("2026-04-01"), Sourced: true},
				{ID: "5", Partner: "acme", Amount: 999.99, Stage: StageWon, Created: d("2025-11-01"), Closed: d("2026-04-02")},
				{ID: "6", Partner: "acme", Amount: 1, Stage: StageWon, Created: d("2025-11-01"), Closed: d("2026-05-02")},
				{ID: "7", Partner: "globex", Amount: 70, Stage: StageOpen, Created: d("2026-07-01"), Closed: d("2026-08-01"), Registered: d("2026-06-30")},
			},
			want: map[string]map[string]vals{
				"acme": {
					"2025-Q4": {MetricSourcedPipeline: 0, MetricSourcedRevenue: 0, MetricInfluencedRevenue: 0, MetricRegisteredDeals: 0},
					"2026-Q1": {MetricSourcedPipeline: 1734.80, MetricSourcedRevenue: 1234.50, MetricInfluencedRevenue: 0, MetricRegisteredDeals: 1, MetricWinRate: 100},
					"2026-Q2": {MetricSourcedPipeline: 0, MetricSourcedRevenue: 0, MetricInfluencedRevenue: 1000.99, MetricRegisteredDeals: 0, MetricWinRate: 66.67},
				},
				"globex": {
					"2026-Q2": {MetricSourcedPipeline: 0, MetricSourcedRevenue: 0, MetricInfluencedRevenue: 0, MetricRegisteredDeals: 1},
					"2026-Q3": {MetricSourcedPipeline: 0, MetricSourcedRevenue: 0, MetricInfluencedRevenue: 0, MetricRegisteredDeals: 0},
				},
			},
		},
		{
			name:    "half-yearly, all lost",
			cadence: HalfYearly,
			deals: []Deal{
				{ID: "1", Partner: "acme", Amount: 10, Stage: StageLost, Created: d("2026-01-01"), Closed: d("2026-06-30"), Sourced: true},
				{ID: "2", Partner: "acme", Amount: 0.01, Stage: StageLost, Created: d("2026-07-01"), Closed: d("2026-07-01"), Sourced: true},
			},
			want: map[string]map[string]vals{
				"acme": {
					"2026-H1": {MetricSourcedPipeline: 10, MetricSourcedRevenue: 0, MetricInfluencedRevenue: 0, MetricRegisteredDeals: 0, MetricWinRate: 0},
					"2026-H2": {MetricSourcedPipeline: 0.01, MetricSourcedRevenue: 0, MetricInfluencedRevenue: 0, MetricRegisteredDeals: 0, MetricWinRate: 0},
				},
			},
		},
		{
			name:    "cents add up exactly",
			cadence: Quarterly,
			deals: func() []Deal {
				var ds []Deal
				for i := 0; i < 10; i++ {
					ds = append(ds, Deal{ID: string(rune('a' + i)), Partner: "p", Amount: 0.1, Stage: StageWon, Created: d("2026-01-01"), Closed: d("2026-01-02"), Sourced: true})
				}
				return ds
			}(),
			want: map[string]map[string]vals{
				"p": {"2026-Q1": {MetricSourcedPipeline: 1, MetricSourcedRevenue: 1, MetricInfluencedRevenue: 0, MetricRegisteredDeals: 0, MetricWinRate: 100}},
			},
		},
		{
			name:    "absurd sums saturate, never wrap to negative",
			cadence: Quarterly,
			deals: []Deal{
				{ID: "a", Partner: "p", Amount: 6e16, Created: d("2026-01-01"), Sourced: true},
				{ID: "b", Partner: "p", Amount: 6e16, Created: d("2026-01-02"), Sourced: true},
			},
			want: map[string]map[string]vals{
				"p": {"2026-Q1": {MetricSourcedPipeline: math.MaxInt64 / 100, MetricSourcedRevenue: 0, MetricInfluencedRevenue: 0, MetricRegisteredDeals: 0}},
			},
		},
		{name: "none", cadence: Quarterly, want: map[string]map[string]vals{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AggregateDeals(tt.deals, tt.cadence)
			gotS := map[string]map[string]vals{}
			for partner, periods := range got {
				gotS[partner] = map[string]vals{}
				for p, v := range periods {
					if p.Cad != tt.cadence {
						t.Errorf("period %s has cadence %s", p, p.Cad)
					}
					for k, x := range v {
						if x != math.Round(x*100)/100 {
							t.Errorf("%s %s %s = %v: not whole cents", partner, p, k, x)
						}
					}
					gotS[partner][p.String()] = v
				}
			}
			if !reflect.DeepEqual(gotS, tt.want) {
				t.Errorf("got  %v\nwant %v", gotS, tt.want)
			}
		})
	}
}

func TestDealCountsIn(t *testing.T) {
	day := func(s string) time.Time {
		tm, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		return tm
	}
	q1, q2, q3 := MustPeriod("2026-Q1"), MustPeriod("2026-Q2"), MustPeriod("2026-Q3")
	tests := []struct {
		name string
		deal Deal
		in   []Period
	}{
		{"won: created and closed", Deal{Stage: StageWon, Created: day("2026-03-31"), Closed: day("2026-04-01")}, []Period{q1, q2}},
		{"open: its close date is a forecast", Deal{Stage: StageOpen, Created: day("2026-01-02"), Closed: day("2026-08-01")}, []Period{q1}},
		{"lost", Deal{Stage: StageLost, Created: day("2026-01-02"), Closed: day("2026-07-01")}, []Period{q1, q3}},
		{"registered", Deal{Stage: StageOpen, Created: day("2026-07-02"), Registered: day("2026-06-30")}, []Period{q2, q3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in []Period
			for _, p := range []Period{q1, q2, q3} {
				if tt.deal.CountsIn(p) {
					in = append(in, p)
				}
			}
			if !reflect.DeepEqual(in, tt.in) {
				t.Errorf("counts in %v, want %v", in, tt.in)
			}
			// It counts exactly where AggregateDeals puts it.
			agg := AggregateDeals([]Deal{tt.deal}, Quarterly)[""]
			for _, p := range []Period{q1, q2, q3} {
				if _, ok := agg[p]; ok != tt.deal.CountsIn(p) {
					t.Errorf("%s: aggregated %v, counts in %v", p, ok, !ok)
				}
			}
		})
	}
}
