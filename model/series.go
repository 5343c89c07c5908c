package model

import (
	"iter"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Series is one partner's production: for each period it has, the values
// of the metrics it has. A store of 100k partners holds 100k of them, so a
// series is compact: its values are one slice of float64 laid out by a
// shape (its periods, oldest first, and its metric keys) that every series
// with the same periods and keys shares. A series is immutable; build one
// with SeriesOf or a SeriesBuilder. The zero Series has no production.
type Series struct {
	shape *seriesShape
	// vals holds period i's value of key j at i*len(keys)+j; NaN where the
	// period has no value for the key.
	vals []float64
}

type seriesShape struct {
	periods []Period // oldest first, no two equal
	keys    []string // no two equal
}

func (sh *seriesShape) period(p Period) int {
	for i, q := range sh.periods {
		if q == p {
			return i
		}
	}
	return -1
}

func (sh *seriesShape) key(k string) int {
	for j, q := range sh.keys {
		if q == k {
			return j
		}
	}
	return -1
}

// SeriesOf makes a series of values by period and metric key. A NaN
// value counts as no value; a period with no values is still one of the
// series' periods.
func SeriesOf(m map[Period]map[string]float64) Series {
	var b SeriesBuilder
	for _, p := range slices.SortedFunc(maps.Keys(m), comparePeriods) {
		b.Period(p)
		for _, k := range slices.Sorted(maps.Keys(m[p])) {
			b.Value(k, m[p][k])
		}
	}
	return b.Series()
}

// Len is the number of periods the series has.
func (s Series) Len() int {
	if s.shape == nil {
		return 0
	}
	return len(s.shape.periods)
}

// Periods yields the periods the series has, oldest first.
func (s Series) Periods() iter.Seq[Period] {
	return func(yield func(Period) bool) {
		if s.shape == nil {
			return
		}
		for _, p := range s.shape.periods {
			if !yield(p) {
				return
			}
		}
	}
}

// Get is metric key's value in period p, and whether there is one.
func (s Series) Get(p Period, key string) (float64, bool) {
	if s.shape == nil {
		return 0, false
	}
	i, j := s.shape.period(p), s.shape.key(key)
	if i < 0 || j < 0 {
		return 0, false
	}
	v := s.vals[i*len(s.shape.keys)+j]
	if math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// value is the value in period p at key index j, zero and false when
// missing.
func (s Series) value(p Period, j int) (float64, bool) {
	i := s.shape.period(p)
	if i < 0 {
		return 0, false
	}
	v := s.vals[i*len(s.shape.keys)+j]
	if math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// Aggregate combines metric m over the periods of the window: the sum for
// flows, the most recent value for stocks.
func (s Series) Aggregate(m Metric, window []Period) float64 {
	var buf [8]int
	return s.aggregateMetric(m, s.windowRows(window, buf[:0]))
}

// rows appends the index of each period of the window, -1 where the
// shape lacks it.
func (sh *seriesShape) rows(window []Period, out []int) []int {
	for _, p := range window {
		out = append(out, sh.period(p))
	}
	return out
}

// aggregate combines key j's values in rows (period indices, -1 for none):
// the latest value there is, or the sum.
func (s Series) aggregate(rows []int, j int, latest bool) float64 {
	nk := len(s.shape.keys)
	if latest {
		for i := len(rows) - 1; i >= 0; i-- {
			if r := rows[i]; r >= 0 {
				if v := s.vals[r*nk+j]; !math.IsNaN(v) {
					return v
				}
			}
		}
		return 0
	}
	var total float64
	for _, r := range rows {
		if r < 0 {
			continue
		}
		if v := s.vals[r*nk+j]; !math.IsNaN(v) {
			total += v
		}
	}
	return total
}

// Values lists metric key's value in each period (zero where missing), for
// sparklines and trends.
func (s Series) Values(key string, periods []Period) []float64 {
	out := make([]float64, len(periods))
	if s.shape == nil {
		return out
	}
	j := s.shape.key(key)
	if j < 0 {
		return out
	}
	for i, p := range periods {
		out[i], _ = s.value(p, j)
	}
	return out
}

// Map is the series as values by period and metric key, a fresh copy:
// every period the series has, each with the values it has.
func (s Series) Map() map[Period]map[string]float64 {
	out := make(map[Period]map[string]float64, s.Len())
	if s.shape == nil {
		return out
	}
	nk := len(s.shape.keys)
	for i, p := range s.shape.periods {
		vals := map[string]float64{}
		for j, k := range s.shape.keys {
			if v := s.vals[i*nk+j]; !math.IsNaN(v) {
				vals[k] = v
			}
		}
		out[p] = vals
	}
	return out
}

// String shows the series like its Map: "Series{2026-Q1: {reps: 3}}".
func (s Series) String() string {
	var b strings.Builder
	b.WriteString("Series{")
	if s.shape != nil {
		nk := len(s.shape.keys)
		for i, p := range s.shape.periods {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p.String() + ": {")
			sep := ""
			for j, k := range s.shape.keys {
				if v := s.vals[i*nk+j]; !math.IsNaN(v) {
					b.WriteString(sep + k + ": " + strconv.FormatFloat(v, 'g', -1, 64))
					sep = ", "
				}
			}
			b.WriteString("}")
		}
	}
	b.WriteString("}")
	return b.String()
}

// comparePeriods orders periods by start, then cadence.
func comparePeriods(a, b Period) int {
	if a.Cad == b.Cad {
		return a.Compare(b)
	}
	if c := a.Start().Compare(b.Start()); c != 0 {
		return c
	}
	return strings.Compare(string(a.Cad), string(b.Cad))
}

// SeriesBuilder makes series one after another, as a decoder reading many
// partners' production does: Period, then Value for each of its values,
// for every period; then Series. Series with the same periods and keys
// share them, and the values of many series share an allocation. The
// zero SeriesBuilder is ready to use.
type SeriesBuilder struct {
	// The series being built.
	periods []Period // in the order given
	keys    []string // in the order first given
	cells   []seriesCell
	cur     int // index in periods of the period values go to

	shapes []*seriesShape // the shapes made so far, most recent last
	all    []Period       // every period of every series made
	// included are the shapes of series given to Include.
	included map[*seriesShape]bool
	arena    []float64 // what is left of the values' allocation
	chunk    int
}

type seriesCell struct {
	period, key int32
	v           float64
}

// maxShapes bounds the shapes a builder remembers to share.
const maxShapes = 64

// Period starts period p's values. A period given twice keeps only the
// values given after the second time.
func (b *SeriesBuilder) Period(p Period) {
	for i, q := range b.periods {
		if q == p {
			b.cells = slices.DeleteFunc(b.cells, func(c seriesCell) bool { return int(c.period) == i })
			b.cur = i
			return
		}
	}
	b.cur = len(b.periods)
	b.periods = append(b.periods, p)
}

// Value sets metric key's value in the current period. A NaN value is no
// value. It panics when no period was started.
func (b *SeriesBuilder) Value(key string, v float64) {
	if len(b.periods) == 0 {
		panic("model: SeriesBuilder.Value before Period")
	}
	j := slices.Index(b.keys, key)
	if j < 0 {
		j = len(b.keys)
		b.keys = append(b.keys, key)
	}
	b.cells = append(b.cells, seriesCell{period: int32(b.cur), key: int32(j), v: v})
}

// Reset drops the series being built.
func (b *SeriesBuilder) Reset() {
	b.periods, b.keys, b.cells, b.cur = b.periods[:0], b.keys[:0], b.cells[:0], 0
}

// Series returns the series built since the last call (or Reset) and
// starts the next one.
func (b *SeriesBuilder) Series() Series {
	defer b.Reset()
	if len(b.periods) == 0 {
		return Series{}
	}
	// Periods oldest first. Records and SeriesOf give them in order; when
	// not, pos[i] is where the i-th period given goes.
	var pos []int
	if !slices.IsSortedFunc(b.periods, comparePeriods) {
		given := slices.Clone(b.periods)
		slices.SortFunc(b.periods, comparePeriods)
		pos = make([]int, len(given))
		for i, p := range given {
			pos[i] = slices.Index(b.periods, p)
		}
	}
	sh := b.shape()
	nk := len(sh.keys)
	vals := b.alloc(len(sh.periods) * nk)
	for i := range vals {
		vals[i] = math.NaN()
	}
	for _, c := range b.cells {
		i := int(c.period)
		if pos != nil {
			i = pos[i]
		}
		vals[i*nk+int(c.key)] = c.v
	}
	return Series{shape: sh, vals: vals}
}

// shape finds or makes the shape of the series being built.
func (b *SeriesBuilder) shape() *seriesShape {
	for i := len(b.shapes) - 1; i >= 0; i-- {
		sh := b.shapes[i]
		if slices.Equal(sh.periods, b.periods) && slices.Equal(sh.keys, b.keys) {
			if i != len(b.shapes)-1 { // the most recently used last: found first
				b.shapes[i], b.shapes[len(b.shapes)-1] = b.shapes[len(b.shapes)-1], sh
			}
			return sh
		}
	}
	sh := &seriesShape{periods: slices.Clone(b.periods), keys: slices.Clone(b.keys)}
	if len(b.shapes) < maxShapes {
		b.shapes = append(b.shapes, sh)
	}
	for _, p := range sh.periods {
		if !slices.Contains(b.all, p) {
			b.all = append(b.all, p)
		}
	}
	return sh
}

// alloc takes n values from the current allocation, making a larger one
// when it runs out.
func (b *SeriesBuilder) alloc(n int) []float64 {
	if n > len(b.arena) {
		b.chunk = min(max(2*b.chunk, 32), 8192)
		b.arena = make([]float64, max(n, b.chunk))
	}
	v := b.arena[:n:n]
	b.arena = b.arena[n:]
	return v
}

// Include counts s's periods among the builder's Periods, as if it had
// made s: a decoder that keeps a series it read before includes it.
func (b *SeriesBuilder) Include(s Series) {
	if s.shape == nil || b.included[s.shape] {
		return
	}
	if b.included == nil {
		b.included = map[*seriesShape]bool{}
	}
	b.included[s.shape] = true
	for _, p := range s.shape.periods {
		if !slices.Contains(b.all, p) {
			b.all = append(b.all, p)
		}
	}
}

// Periods lists every period of the series made so far, oldest first.
func (b *SeriesBuilder) Periods() []Period {
	return slices.SortedFunc(slices.Values(b.all), comparePeriods)
}
