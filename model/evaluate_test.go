package model

import (
	"strings"
	"testing"
)

func TestAggregate(t *testing.T) {
	q1, q2, q3 := MustPeriod("2026-Q1"), MustPeriod("2026-Q2"), MustPeriod("2026-Q3")
	s := SeriesOf(byPeriod{
		q1: {"pipeline": 100, "reps": 4},
		q2: {"pipeline": 50},
		q3: {"pipeline": 25, "reps": 2},
	})
	tests := []struct {
		name   string
		metric Metric
		window []Period
		want   float64
	}{
		{"sum over the window", Metric{Key: "pipeline", Aggregate: Sum}, []Period{q2, q3}, 75},
		{"sum ignores periods outside", Metric{Key: "pipeline", Aggregate: Sum}, []Period{q3}, 25},
		{"latest takes the newest", Metric{Key: "reps", Aggregate: Latest}, []Period{q1, q2, q3}, 2},
		{"latest skips missing periods", Metric{Key: "reps", Aggregate: Latest}, []Period{q1, q2}, 4},
		{"latest with no value is zero", Metric{Key: "reps", Aggregate: Latest}, []Period{q2}, 0},
		{"unknown metric is zero", Metric{Key: "nope", Aggregate: Sum}, []Period{q1, q2, q3}, 0},
	}
	for _, tt := range tests {
		if got := s.Aggregate(tt.metric, tt.window); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEvaluateEarned(t *testing.T) {
	p := testProgram()
	q2, q3 := MustPeriod("2026-Q2"), MustPeriod("2026-Q3")
	tests := []struct {
		name   string
		track  string
		series Series
		want   string
	}{
		{"gold on both periods", "reseller", SeriesOf(byPeriod{q2: goldQ, q3: goldQ}), "gold"},
		{"silver", "reseller", SeriesOf(byPeriod{q2: silverQ, q3: silverQ}), "silver"},
		{"nothing earns entry", "reseller", SeriesOf(byPeriod{}), "registered"},
		{"window adds two periods", "reseller", SeriesOf(byPeriod{q2: vals("pipeline", 60000), q3: vals("pipeline", 50000, "reps", 2, "deals", 4)}), "silver"},
		{"older periods fall out of the window", "reseller", SeriesOf(byPeriod{MustPeriod("2026-Q1"): goldQ, q2: silverQ, q3: silverQ}), "silver"},
		{"any group: none met misses", "reseller", SeriesOf(byPeriod{q3: vals("pipeline", 200000, "reps", 3)}), "registered"},
		{"any group: one met is enough", "reseller", SeriesOf(byPeriod{q3: vals("pipeline", 200000, "reps", 3, "customers", 3)}), "silver"},
		{"isv track: lower pipeline bar for gold", "isv", SeriesOf(byPeriod{q3: vals("pipeline", 320000, "revenue", 150000, "reps", 5, "customers", 6)}), "gold"},
		{"same numbers on reseller track are silver", "reseller", SeriesOf(byPeriod{q3: vals("pipeline", 320000, "revenue", 150000, "reps", 5, "customers", 6)}), "silver"},
		{"unknown track uses the tier's thresholds", "nope", SeriesOf(byPeriod{q3: vals("pipeline", 80000, "reps", 2, "deals", 4)}), "registered"},
		{"size never earns a tier", "reseller", SeriesOf(byPeriod{q3: vals("employees", 50000)}), "registered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			partner := &Partner{ID: "x", Track: tt.track, Tier: "registered"}
			ev := Evaluate(p, partner, tt.series, q3)
			if ev.Earned != tt.want {
				t.Errorf("earned %s, want %s (values %v)", ev.Earned, tt.want, ev.Values)
			}
		})
	}
}

func TestEvidenceAndGap(t *testing.T) {
	p := testProgram()
	q3 := MustPeriod("2026-Q3")
	partner := &Partner{ID: "x", Track: "reseller", Tier: "silver"}
	ev := Evaluate(p, partner, SeriesOf(byPeriod{q3: vals("pipeline", 360000, "revenue", 200000, "reps", 4, "deals", 12)}), q3)
	next, ok := ev.NextCheck(p)
	if !ok || next.Tier != "gold" {
		t.Fatalf("next check = %+v, %v; want gold", next, ok)
	}
	if next.Met {
		t.Fatal("gold should be missed")
	}
	got := GapSentence(p, next)
	want := "needs $40,000 more sourced pipeline and 1 more certified rep for Gold"
	if got != want {
		t.Errorf("GapSentence = %q\nwant %q", got, want)
	}
	var missed []string
	for _, e := range next.Missed() {
		missed = append(missed, e.Metric)
	}
	if strings.Join(missed, ",") != "pipeline,reps" {
		t.Errorf("missed = %v, want pipeline,reps (the any-group is met by deals)", missed)
	}
	if cur := ev.CurrentCheck(); !cur.Met || GapSentence(p, cur) != "meets every Silver criterion" {
		t.Errorf("current check = %+v, sentence %q", cur, GapSentence(p, cur))
	}

	top := &Partner{ID: "y", Track: "reseller", Tier: "gold"}
	if _, ok := Evaluate(p, top, Series{}, q3).NextCheck(p); ok {
		t.Error("the top tier has no next tier")
	}
}

func TestGapSentenceAnyGroup(t *testing.T) {
	p := testProgram()
	q3 := MustPeriod("2026-Q3")
	ev := Evaluate(p, &Partner{ID: "x", Track: "reseller", Tier: "registered"}, SeriesOf(byPeriod{q3: vals("pipeline", 100000, "reps", 2, "deals", 1)}), q3)
	c, _ := ev.Check("silver")
	want := "needs one of 3 more registered deals or 3 more joint customers for Silver"
	if got := GapSentence(p, c); got != want {
		t.Errorf("GapSentence = %q\nwant %q", got, want)
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		u     Unit
		v     float64
		want  string
		short string
	}{
		{Money, 1234.5, "$1,235", "$1k"},
		{Money, 0, "$0", "$0"},
		{Money, 1250000, "$1,250,000", "$1.2M"},
		{Money, -40000, "-$40,000", "-$40k"},
		{Money, 999, "$999", "$999"},
		{Count, 12, "12", "12"},
		{Count, 1.5, "1.5", "1.5"},
		{Count, 12000, "12,000", "12,000"},
		{Percent, 85, "85%", "85%"},
		{Money, 999.6, "$1,000", "$1k"},
		{Money, 999600, "$999,600", "$1M"},
		{Money, 999960000, "$999,960,000", "$1B"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.u, tt.v); got != tt.want {
			t.Errorf("FormatValue(%s, %v) = %q, want %q", tt.u, tt.v, got, tt.want)
		}
		if got := FormatShort(tt.u, tt.v); got != tt.short {
			t.Errorf("FormatShort(%s, %v) = %q, want %q", tt.u, tt.v, got, tt.short)
		}
	}
}

func TestStanding(t *testing.T) {
	p := testProgram()
	q3 := MustPeriod("2026-Q3")
	tests := []struct {
		tier string
		s    Series
		want string
	}{
		{"gold", SeriesOf(byPeriod{q3: vals("reps", 3)}), "Misses every Gold criterion; earns Registered."},
		{"gold", SeriesOf(byPeriod{q3: vals("pipeline", 500000, "revenue", 200000, "reps", 3, "deals", 12)}), "Misses Gold on certified reps; earns Silver."},
		{"silver", SeriesOf(byPeriod{q3: vals("pipeline", 100000, "reps", 2, "deals", 4)}), "Meets every Silver criterion."},
		{"registered", SeriesOf(byPeriod{q3: vals("pipeline", 100000, "reps", 2, "deals", 4)}), "Registered is the entry tier; earns Silver."},
		{"registered", Series{}, "Registered is the entry tier."},
		{"platinum", Series{}, `"platinum" is not a tier of this program; earns Registered.`},
		{"silver", SeriesOf(byPeriod{q3: vals("pipeline", 100000, "reps", 2)}), "Misses Silver on one of registered deals or joint customers; earns Registered."},
	}
	for _, tt := range tests {
		ev := Evaluate(p, &Partner{ID: "x", Track: "reseller", Tier: tt.tier}, tt.s, q3)
		if got := Standing(p, ev); got != tt.want {
			t.Errorf("Standing(%s) = %q, want %q", tt.tier, got, tt.want)
		}
	}
}

func TestGapSentenceAllAndAny(t *testing.T) {
	p := testProgram()
	q3 := MustPeriod("2026-Q3")
	ev := Evaluate(p, &Partner{ID: "x", Track: "reseller", Tier: "silver"}, SeriesOf(byPeriod{q3: vals("pipeline", 100000, "reps", 3, "customers", 6)}), q3)
	c, _ := ev.Check("gold")
	want := "needs $300,000 more sourced pipeline, $150,000 more sourced revenue, 2 more certified reps and one of 10 more registered deals or 2 more joint customers for Gold"
	if got := GapSentence(p, c); got != want {
		t.Errorf("GapSentence = %q\nwant %q", got, want)
	}
}

func TestFormatHours(t *testing.T) {
	for v, want := range map[float64]string{3: "3", 0.25: "0.25", 11.25: "11.25", 12.5: "12.5", 100: "100", 1.0 / 3: "0.33"} {
		if got := FormatHours(v); got != want {
			t.Errorf("FormatHours(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestFormatExact(t *testing.T) {
	for _, tc := range []struct {
		u    Unit
		v    float64
		want string
	}{
		{Money, 1234.5, "$1,234.50"},
		{Money, 1234, "$1,234"},
		{Money, 0.07, "$0.07"},
		{Money, -1999.99, "-$1,999.99"},
		{Money, 1234567.891, "$1,234,567.89"},
		{Count, 12, "12"},
		{Percent, 62.5, "62.5%"},
	} {
		if got := FormatExact(tc.u, tc.v); got != tc.want {
			t.Errorf("FormatExact(%v, %v) = %q, want %q", tc.u, tc.v, got, tc.want)
		}
	}
}
