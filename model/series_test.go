package model

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestSeriesOf(t *testing.T) {
	q4, q1, h1 := MustPeriod("2025-Q4"), MustPeriod("2026-Q1"), MustPeriod("2026-H1")
	m := byPeriod{
		q1: {"pipeline": 100, "reps": 4},
		q4: {"pipeline": 50},
		h1: {},
	}
	s := SeriesOf(m)
	if !reflect.DeepEqual(s.Map(), m) {
		t.Errorf("Map = %v, want %v", s.Map(), m)
	}
	if got := slices.Collect(s.Periods()); !reflect.DeepEqual(got, []Period{q4, h1, q1}) {
		t.Errorf("Periods = %v, want by start then cadence, a period without values kept", got)
	}
	if v, ok := s.Get(q1, "reps"); !ok || v != 4 {
		t.Errorf("Get(q1, reps) = %v, %v", v, ok)
	}
	if v, ok := s.Get(q4, "reps"); ok || v != 0 {
		t.Errorf("Get(q4, reps) = %v, %v; want none", v, ok)
	}
	if _, ok := s.Get(MustPeriod("2026-Q2"), "pipeline"); ok {
		t.Error("Get of a period the series lacks found a value")
	}
	if got := s.Values("pipeline", []Period{q4, q1, MustPeriod("2026-Q2")}); !reflect.DeepEqual(got, []float64{50, 100, 0}) {
		t.Errorf("Values = %v", got)
	}
	if got := s.String(); got != "Series{2025-Q4: {pipeline: 50}, 2026-H1: {}, 2026-Q1: {pipeline: 100, reps: 4}}" {
		t.Errorf("String = %s", got)
	}
	var zero Series
	if zero.Len() != 0 || len(zero.Map()) != 0 || zero.Aggregate(Metric{Key: "x"}, []Period{q1}) != 0 || !reflect.DeepEqual(zero.Values("x", []Period{q1}), []float64{0}) {
		t.Error("the zero Series is not empty")
	}
	if s := SeriesOf(byPeriod{q1: {"reps": math.NaN()}}); s.Len() != 1 || len(s.Map()[q1]) != 0 {
		t.Errorf("a NaN value is no value: %v", s)
	}
}

func TestSeriesBuilder(t *testing.T) {
	q1, q2, q3 := MustPeriod("2026-Q1"), MustPeriod("2026-Q2"), MustPeriod("2026-Q3")
	var b SeriesBuilder
	// Out of order, a period given twice (the later values win, as a map
	// assignment would), a key given twice in a period (the last wins).
	b.Period(q3)
	b.Value("reps", 1)
	b.Period(q1)
	b.Value("reps", 7)
	b.Value("pipeline", 5)
	b.Period(q3)
	b.Value("pipeline", 9)
	b.Value("pipeline", 10)
	s := b.Series()
	want := byPeriod{q1: {"reps": 7, "pipeline": 5}, q3: {"pipeline": 10}}
	if !reflect.DeepEqual(s.Map(), want) {
		t.Errorf("Map = %v, want %v", s.Map(), want)
	}
	if b.Series().Len() != 0 {
		t.Error("Series does not start a new series")
	}
	// The same periods and keys share a shape; values never alias.
	mk := func(v float64) Series {
		b.Period(q1)
		b.Value("reps", v)
		b.Period(q2)
		b.Value("reps", v+1)
		return b.Series()
	}
	a, c := mk(1), mk(3)
	if a.shape != c.shape {
		t.Error("series of the same periods and keys do not share their shape")
	}
	if a.Aggregate(Metric{Key: "reps", Aggregate: Sum}, []Period{q1, q2}) != 3 || c.Aggregate(Metric{Key: "reps", Aggregate: Sum}, []Period{q1, q2}) != 7 {
		t.Errorf("values mixed up: %v, %v", a, c)
	}
	b.Period(q1)
	b.Value("reps", 1)
	b.Reset()
	if b.Series().Len() != 0 {
		t.Error("Reset kept the series being built")
	}
	if got := b.Periods(); !reflect.DeepEqual(got, []Period{q1, q2, q3}) {
		t.Errorf("builder Periods = %v", got)
	}
}

// TestEvaluatorMatchesEvaluate checks the list's evaluator against
// Evaluate on random production, on every track and an unknown one.
func TestEvaluatorMatchesEvaluate(t *testing.T) {
	p := testProgram()
	rng := rand.New(rand.NewPCG(1, 2))
	q3 := MustPeriod("2026-Q3")
	tiers := []string{"registered", "silver", "gold", "platinum"}
	for _, period := range []Period{q3, q3.Prev()} {
		e := NewEvaluator(p, period)
		for i := range 2000 {
			m := byPeriod{}
			for _, q := range []Period{q3.Step(-2), q3.Step(-1), q3} {
				if rng.IntN(5) == 0 {
					continue // a period without production
				}
				vals := map[string]float64{}
				for _, k := range []string{"pipeline", "revenue", "reps", "customers", "deals", "employees", "unknown"} {
					if rng.IntN(4) > 0 {
						vals[k] = float64(rng.IntN(12)) * []float64{1, 1000, 40000}[rng.IntN(3)]
					}
				}
				m[q] = vals
			}
			s := SeriesOf(m)
			partner := &Partner{ID: "x", Track: []string{"reseller", "isv", "nope"}[i%3], Tier: tiers[rng.IntN(len(tiers))]}
			ev := Evaluate(p, partner, s, period)
			if got := e.Earned(partner, s); got != ev.Earned {
				t.Fatalf("%v on %s: Earned = %s, Evaluate says %s", s, partner.Track, got, ev.Earned)
			}
			for _, k := range []string{"pipeline", "revenue", "reps", "customers", "deals", "employees", "unknown"} {
				if got := e.Value(k); got != ev.Values[k] {
					t.Fatalf("%v: Value(%s) = %v, Evaluate says %v", s, k, got, ev.Values[k])
				}
			}
		}
	}
}
