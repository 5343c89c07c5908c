package model

import "testing"

// earnedCase is a partner and its production for 2026-Q3, and the tier it
// earns there.
type earnedCase struct {
	name   string
	prog   func(*Program) // changes to testProgram, or nil
	track  string
	series Series
	want   string
}

var earnedCases = []earnedCase{
	{name: "no production earns the entry tier", track: "reseller", want: "registered"},
	{name: "gold on the reseller track", track: "reseller",
		series: SeriesOf(byPeriod{MustPeriod("2026-Q2"): goldQ, MustPeriod("2026-Q3"): goldQ}), want: "gold"},
	{name: "the window is two quarters: an older one does not count", track: "reseller",
		series: SeriesOf(byPeriod{MustPeriod("2026-Q1"): goldQ, MustPeriod("2026-Q3"): silverQ}), want: "registered"},
	{name: "an isv override of an all-criterion earns silver", track: "isv",
		series: SeriesOf(byPeriod{MustPeriod("2026-Q3"): vals("pipeline", 80000, "reps", 2, "deals", 4)}), want: "silver"},
	{name: "the same production on the reseller track does not", track: "reseller",
		series: SeriesOf(byPeriod{MustPeriod("2026-Q3"): vals("pipeline", 80000, "reps", 2, "deals", 4)}), want: "registered"},
	{name: "an isv override of an any-criterion earns gold", track: "isv",
		series: SeriesOf(byPeriod{MustPeriod("2026-Q3"): vals("pipeline", 300000, "revenue", 150000, "reps", 5, "customers", 6)}), want: "gold"},
	{name: "an unknown track has no overrides", track: "nope",
		series: SeriesOf(byPeriod{MustPeriod("2026-Q3"): vals("pipeline", 80000, "reps", 2, "deals", 4)}), want: "registered"},
	{name: "of two metrics with one key the last counts", track: "reseller",
		prog: func(p *Program) {
			// reps read as a sum over the window: 1+1, not the latest 1.
			p.Metrics = append(p.Metrics, Metric{Key: "reps", Unit: Count, Aggregate: Sum})
			p.Tiers[1].Criteria.All[1].Min = 2
		},
		series: SeriesOf(byPeriod{MustPeriod("2026-Q2"): vals("pipeline", 50000, "reps", 1, "deals", 2),
			MustPeriod("2026-Q3"): vals("pipeline", 50000, "reps", 1, "deals", 2)}), want: "silver"},
	{name: "a criterion on a metric the program lacks reads zero", track: "reseller",
		prog: func(p *Program) {
			p.Tiers[1].Criteria.Any = []Criterion{{"webinars", 1}}
		},
		series: SeriesOf(byPeriod{MustPeriod("2026-Q3"): vals("pipeline", 100000, "reps", 2, "webinars", 3)}), want: "registered"},
	{name: "a met tier above a missed one still counts", track: "reseller",
		prog: func(p *Program) {
			p.Tiers[2].Criteria = Criteria{All: []Criterion{{"employees", 500}}}
		},
		series: SeriesOf(byPeriod{MustPeriod("2026-Q3"): vals("employees", 900)}), want: "gold"},
}

// TestEarnedIndex holds the misses' shortcut to Evaluate: the tier it
// finds is the one Evaluate earns, and the one expected.
func TestEarnedIndex(t *testing.T) {
	q3 := MustPeriod("2026-Q3")
	for _, tc := range earnedCases {
		t.Run(tc.name, func(t *testing.T) {
			p := testProgram()
			if tc.prog != nil {
				tc.prog(p)
			}
			partner := &Partner{ID: "acme", Track: tc.track, Tier: "silver"}
			ev := Evaluate(p, partner, tc.series, q3)
			if ev.Earned != tc.want {
				t.Fatalf("Evaluate earns %s, want %s", ev.Earned, tc.want)
			}
			if got, want := earnedIndex(p, partner, tc.series, q3), p.TierIndex(tc.want); got != want {
				t.Errorf("earnedIndex = %d, want %d (%s)", got, want, tc.want)
			}
		})
	}
}

// TestEvaluateEvidenceApart: the checks share one allocation of evidence,
// so appending to one must never write into the next.
func TestEvaluateEvidenceApart(t *testing.T) {
	p := testProgram()
	ev := Evaluate(p, &Partner{ID: "acme", Track: "reseller", Tier: "silver"}, SeriesOf(byPeriod{MustPeriod("2026-Q3"): silverQ}), MustPeriod("2026-Q3"))
	silver, gold := ev.Checks[1].Evidence, ev.Checks[2].Evidence
	before := gold[0]
	_ = append(silver, Evidence{Metric: "intruder"})
	if gold[0] != before {
		t.Errorf("appending to silver's evidence changed gold's first: %+v, was %+v", gold[0], before)
	}
}

// BenchmarkEarnedIndex is what counting one earlier miss costs, against a
// whole evaluation.
func BenchmarkEarnedIndex(b *testing.B) {
	p, q3 := testProgram(), MustPeriod("2026-Q3")
	partner := &Partner{ID: "acme", Track: "isv", Tier: "gold"}
	s := SeriesOf(byPeriod{MustPeriod("2026-Q2"): silverQ, q3: goldQ})
	b.Run("earnedIndex", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			earnedIndex(p, partner, s, q3)
		}
	})
	b.Run("Evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Evaluate(p, partner, s, q3)
		}
	})
}
