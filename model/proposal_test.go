package model

import (
	"slices"
	"strings"
	"testing"
)

func TestPropose(t *testing.T) {
	q1, q2, q3, q4 := MustPeriod("2026-Q1"), MustPeriod("2026-Q2"), MustPeriod("2026-Q3"), MustPeriod("2026-Q4")
	old := day("2024-01-15")
	tests := []struct {
		name    string
		tier    string
		track   string
		joined  string
		grace   int
		series  Series
		since   string // the store's first period; default the series' own
		kind    MoveKind
		to      string
		explain string // a part of the explanation
	}{
		{name: "earned above current promotes to the earned tier, skipping steps",
			tier: "registered", series: SeriesOf(byPeriod{q2: goldQ, q3: goldQ}), kind: Promote, to: "gold", explain: "Earned Gold"},
		{name: "one step up",
			tier: "registered", series: SeriesOf(byPeriod{q2: silverQ, q3: silverQ}), kind: Promote, to: "silver"},
		{name: "meets current tier holds",
			tier: "silver", series: SeriesOf(byPeriod{q2: silverQ, q3: silverQ}), kind: Hold, to: "silver", explain: "for Gold"},
		{name: "top tier met holds",
			tier: "gold", series: SeriesOf(byPeriod{q2: goldQ, q3: goldQ}), kind: Hold, to: "gold"},
		{name: "entry tier with nothing holds",
			tier: "registered", series: SeriesOf(byPeriod{}), kind: Hold, to: "registered", explain: "needs"},
		{name: "first miss is a grace hold",
			tier: "gold", series: SeriesOf(byPeriod{q1: goldQ, q2: goldQ, q3: noneQ}), kind: Grace, to: "gold", explain: "another miss next review demotes to Silver"},
		{name: "second consecutive miss demotes one step, not to earned",
			tier: "gold", series: SeriesOf(byPeriod{q1: goldQ, q2: noneQ, q3: noneQ}), kind: Demote, to: "silver", explain: "two reviews running"},
		{name: "a miss after a met period is a first miss again",
			tier: "gold", series: SeriesOf(byPeriod{q1: noneQ, q2: goldQ, q3: goldQ, q4: noneQ}), kind: Grace, to: "gold"},
		{name: "grace 0 demotes on the first miss",
			tier: "gold", grace: -1, series: SeriesOf(byPeriod{q1: goldQ, q2: goldQ, q3: noneQ}), kind: Demote, to: "silver"},
		{name: "grace 2 holds two misses",
			tier: "silver", grace: 2, series: SeriesOf(byPeriod{MustPeriod("2025-Q4"): silverQ, q1: silverQ, q2: noneQ, q3: noneQ}), kind: Grace, to: "silver", explain: "miss 2 of 2"},
		{name: "grace 2 demotes the third",
			tier: "silver", grace: 2, series: SeriesOf(byPeriod{MustPeriod("2025-Q4"): noneQ, q1: noneQ, q2: noneQ, q3: noneQ}), kind: Demote, to: "registered"},
		{name: "a window reaching before the first production is no evidence of a miss",
			tier: "silver", series: SeriesOf(byPeriod{q2: vals("pipeline", 60000, "reps", 2, "deals", 4), q3: vals("pipeline", 30000, "reps", 2, "deals", 4)}), kind: Grace, to: "silver"},
		{name: "with the period before it on record, the same miss demotes",
			tier: "silver", series: SeriesOf(byPeriod{q1: vals("reps", 2), q2: vals("pipeline", 60000, "reps", 2, "deals", 4), q3: vals("pipeline", 30000, "reps", 2, "deals", 4)}), kind: Demote, to: "registered"},
		{name: "no rows while the store has data since Q1: produced nothing, so a second miss demotes",
			tier: "silver", since: "2026-Q1", series: Series{}, kind: Demote, to: "registered"},
		{name: "one zero row changes nothing against the store's data",
			tier: "silver", since: "2026-Q1", series: SeriesOf(byPeriod{q3: vals("pipeline", 0)}), kind: Demote, to: "registered"},
		{name: "the period a partner joined in is no miss",
			tier: "silver", joined: "2026-06-20", series: SeriesOf(byPeriod{q1: noneQ, q2: noneQ, q3: noneQ}), kind: Grace, to: "silver"},
		{name: "a fresh store still knows a second miss from production",
			tier: "silver", series: SeriesOf(byPeriod{}), kind: Demote, to: "registered"},
		{name: "new partner below its tier is held as new",
			tier: "silver", joined: "2026-08-01", series: SeriesOf(byPeriod{q3: noneQ}), kind: New, to: "silver", explain: "joined 2026-08-01"},
		{name: "new partner at entry is held as new",
			tier: "registered", joined: "2026-07-02", series: SeriesOf(byPeriod{}), kind: New, to: "registered"},
		{name: "new partner that already earns more is promoted",
			tier: "registered", joined: "2026-08-01", series: SeriesOf(byPeriod{q3: vals("pipeline", 400000, "revenue", 150000, "reps", 5, "deals", 10)}), kind: Promote, to: "gold"},
		{name: "joined on the first day of the period: not new, and its first miss is a grace hold",
			tier: "silver", joined: "2026-07-01", series: SeriesOf(byPeriod{q1: noneQ, q2: noneQ, q3: noneQ}), kind: Grace, to: "silver"},
		{name: "isv track thresholds decide the hold",
			tier: "gold", track: "isv", series: SeriesOf(byPeriod{q2: vals("pipeline", 160000, "revenue", 80000, "reps", 5, "customers", 6), q3: vals("pipeline", 160000, "revenue", 80000, "reps", 5, "customers", 6)}), kind: Hold, to: "gold"},
		{name: "the same production on reseller is a grace hold",
			tier: "gold", track: "reseller", series: SeriesOf(byPeriod{q1: goldQ, q2: goldQ, q3: vals("pipeline", 160000, "revenue", 80000, "reps", 5, "customers", 6)}), kind: Grace, to: "gold"},
		{name: "a tier the program no longer has is placed where it earns",
			tier: "platinum", series: SeriesOf(byPeriod{q2: silverQ, q3: silverQ}), kind: Promote, to: "silver"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProgram()
			switch {
			case tt.grace < 0:
				p.GraceReviews = 0
			case tt.grace > 0:
				p.GraceReviews = tt.grace
			}
			track := tt.track
			if track == "" {
				track = "reseller"
			}
			joined := old
			if tt.joined != "" {
				joined = day(tt.joined)
			}
			period := q3
			if slices.Contains(slices.Collect(tt.series.Periods()), q4) {
				period = q4
			}
			partner := &Partner{ID: "acme", Name: "Acme", Track: track, Tier: tt.tier, Joined: joined}
			var since Period
			for q := range tt.series.Periods() {
				since = q
				break
			}
			if tt.since != "" {
				since = MustPeriod(tt.since)
			}
			pr := Propose(p, partner, tt.series, period, since)
			if pr.Kind != tt.kind || pr.To != tt.to {
				t.Fatalf("got %s → %s, want %s → %s (%s)", pr.Kind, pr.To, tt.kind, tt.to, pr.Explanation)
			}
			if pr.From != tt.tier {
				t.Errorf("from = %s, want %s", pr.From, tt.tier)
			}
			if !strings.Contains(pr.Explanation, tt.explain) {
				t.Errorf("explanation %q does not say %q", pr.Explanation, tt.explain)
			}
			if pr.Explanation == "" {
				t.Error("every proposal explains itself")
			}
		})
	}
}

func TestDemotionExplainsEveryMiss(t *testing.T) {
	p := testProgram()
	q3 := MustPeriod("2026-Q3")
	partner := &Partner{ID: "nw", Name: "Northwind", Track: "reseller", Tier: "gold", Joined: day("2020-01-01")}
	miss := vals("reps", 3, "customers", 5)
	pr := Propose(p, partner, SeriesOf(byPeriod{MustPeriod("2026-Q1"): miss, MustPeriod("2026-Q2"): miss, q3: miss}), q3, MustPeriod("2026-Q1"))
	if pr.Kind != Demote {
		t.Fatalf("kind = %s, want demote", pr.Kind)
	}
	if n, all := len(pr.Evaluation.CurrentCheck().Missed()), len(pr.Evaluation.CurrentCheck().Evidence); n != all {
		t.Errorf("missed %d of %d gold criteria, want all", n, all)
	}
	for _, want := range []string{"sourced pipeline $0 of $400,000", "certified reps 3 of 5", "joint customers 5 of 8", "earns Registered", "demote one step to Silver"} {
		if !strings.Contains(pr.Explanation, want) {
			t.Errorf("explanation %q lacks %q", pr.Explanation, want)
		}
	}
}
