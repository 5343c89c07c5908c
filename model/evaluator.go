package model

// Evaluator evaluates many partners for one period, as a list of every
// partner does: it finds what Evaluate finds for Earned and Values, without
// the evidence, and reuses its memory from one partner to the next. The
// tiers' criteria are worked out once per track. It is not safe for
// concurrent use.
type Evaluator struct {
	p      *Program
	window []Period
	tracks map[string][]tierTest // by track key
	values []float64             // the last partner's aggregates, by index in p.Metrics
	plans  map[*seriesShape]*evalPlan
}

// evalPlan is where a shape of series holds the program's metrics and the
// window's periods: series of one shape are aggregated without a lookup.
type evalPlan struct {
	cols []int // per metric of the program, its key's index; -1 for none
	rows []int // per period of the window, its index; -1 for none
}

func (e *Evaluator) plan(sh *seriesShape) *evalPlan {
	if pl, ok := e.plans[sh]; ok {
		return pl
	}
	pl := &evalPlan{cols: make([]int, len(e.p.Metrics)), rows: sh.rows(e.window, nil)}
	for i, m := range e.p.Metrics {
		pl.cols[i] = sh.key(m.Key)
	}
	if len(e.plans) < 4*maxShapes { // a decoder shares at most maxShapes
		e.plans[sh] = pl
	}
	return pl
}

// tierTest is a tier's criteria, with the track's overrides, as indices
// into the program's metrics (-1 for a metric the program lacks).
type tierTest struct {
	all, any []threshold
}

type threshold struct {
	metric int
	min    float64
}

// NewEvaluator is an evaluator of p's partners for period. p must have at
// least one tier, as for Evaluate.
func NewEvaluator(p *Program, period Period) *Evaluator {
	return &Evaluator{
		p:      p,
		window: period.Window(p.Window),
		tracks: map[string][]tierTest{},
		values: make([]float64, len(p.Metrics)),
		plans:  map[*seriesShape]*evalPlan{},
	}
}

// metricIndex is the index of metric key in the program, -1 if none. Like
// Evaluate's map of values, the last metric with the key wins.
func (e *Evaluator) metricIndex(key string) int {
	for i := len(e.p.Metrics) - 1; i >= 0; i-- {
		if e.p.Metrics[i].Key == key {
			return i
		}
	}
	return -1
}

func (e *Evaluator) tests(track string) []tierTest {
	if t, ok := e.tracks[track]; ok {
		return t
	}
	compile := func(cs []Criterion) []threshold {
		out := make([]threshold, len(cs))
		for i, c := range cs {
			out[i] = threshold{metric: e.metricIndex(c.Metric), min: c.Min}
		}
		return out
	}
	t := make([]tierTest, len(e.p.Tiers))
	for i, tier := range e.p.Tiers {
		c := e.p.CriteriaFor(track, tier.Key)
		t[i] = tierTest{all: compile(c.All), any: compile(c.Any)}
	}
	e.tracks[track] = t
	return t
}

func (e *Evaluator) value(metric int) float64 {
	if metric < 0 {
		return 0
	}
	return e.values[metric]
}

func (e *Evaluator) met(t tierTest) bool {
	for _, th := range t.all {
		if !(e.value(th.metric) >= th.min) {
			return false
		}
	}
	if len(t.any) == 0 {
		return true
	}
	for _, th := range t.any {
		if e.value(th.metric) >= th.min {
			return true
		}
	}
	return false
}

// Earned evaluates partner on production s and returns the tier it earns:
// Evaluate's Earned. Value then reads the aggregates.
func (e *Evaluator) Earned(partner *Partner, s Series) string {
	if s.shape == nil {
		clear(e.values)
	} else {
		pl := e.plan(s.shape)
		for i, m := range e.p.Metrics {
			e.values[i] = 0
			if j := pl.cols[i]; j >= 0 {
				e.values[i] = s.aggregate(pl.rows, j, m.Aggregate == Latest)
			}
		}
	}
	earned := e.p.Tiers[0].Key
	for i, t := range e.tests(partner.Track) {
		if e.met(t) {
			earned = e.p.Tiers[i].Key
		}
	}
	return earned
}

// Value is metric key's aggregate over the window for the partner last
// evaluated (Evaluate's Values[key]); zero for a key the program lacks.
func (e *Evaluator) Value(key string) float64 {
	return e.value(e.metricIndex(key))
}
