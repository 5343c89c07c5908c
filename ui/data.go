package ui

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// maxTrend is how many periods a trend sparkline covers at most.
const maxTrend = 8

// sortMode orders the partners inside each tier's section.
type sortMode int

const (
	sortName sortMode = iota
	sortPipeline
	sortSince
	sortManager
	numSorts
)

func (s sortMode) String() string {
	switch s {
	case sortPipeline:
		return "sourced pipeline"
	case sortSince:
		return "tier since"
	case sortManager:
		return "manager"
	}
	return "name"
}

// row is one partner in the list: what its filter, sorts and marker need,
// evaluated once when the snapshot loads so that a key press never
// evaluates anything. A row is small (100k of them are loaded): its cells
// are formatted when it is drawn, and only visible rows are drawn.
type row struct {
	partner     *model.Partner
	search      string  // lower-cased name, aliases and domains, for the filter
	pipeline    float64 // the trend metric's aggregate, for its sort
	metrics     int32   // index of the key metrics' aggregates in dataset.values
	managerRank int32   // the manager's place in alphabetical order
	section     int32   // index into dataset.sections
	earnDir     int8    // +1 earns a higher tier, -1 a lower one, 0 its own
}

func (r *row) name() string    { return clean(r.partner.Name) }
func (r *row) manager() string { return clean(r.partner.Manager) }

// since is when the partner took its tier: "Apr 2024".
func (r *row) since() string {
	if r.partner.TierSince.IsZero() {
		return ""
	}
	return r.partner.TierSince.Format("Jan 2006")
}

// section is one tier's block of the list, highest tier first.
type section struct {
	tier  string // key; "" for partners whose tier the program lacks
	name  string // "GOLD"
	buys  string // "3 h/wk · $25,000 MDF/qtr · reg priority 3 · 20% margin"
	total int    // partners in the section, unfiltered
}

// dataset is the loaded snapshot and everything precomputed from it.
type dataset struct {
	program *model.Program
	snap    *store.Snapshot
	period  model.Period
	// trendPeriods are the last periods with production, oldest first.
	trendPeriods []model.Period
	trendMetric  model.Metric
	keyMetrics   []model.Metric
	tracks       map[string]string // track key → name
	// The widths of the tracks and managers of the first rows (at most
	// trackMax and managerMax), for the columns.
	sampleTrackW, sampleManagerW int

	sections []section
	rows     []row
	// values holds the rows' key metric aggregates, len(keyMetrics) a row,
	// from row.metrics.
	values []float64
	// order holds, per sort mode and per section, row indices in order.
	order [numSorts][][]int32
	// hours is last week's calendar time by partner id; nil when the store
	// has no meetings that week (the column is left out).
	hours     map[string]float64
	hoursWeek model.Week
	attended  map[string][]model.Attended // last week's meetings, by partner id
	zone      *time.Location              // the calendar's, for their times
	// reviewedInHistory is the latest period whose review moves are in
	// the history (model.LastReviewed over it): no earlier period may be
	// reviewed.
	reviewedInHistory model.Period
	// day is the clock the rows were worked out at, as dayOf tells it:
	// the current period and last week follow it, not only the store.
	day string
}

// weekHours is a row's last-week cell: "8.0/0.25", hours against the
// tier's allocation.
func (d *dataset) weekHours(r *row) string {
	h := d.hours[r.partner.ID]
	alloc := ""
	if t, ok := d.program.Tier(r.partner.Tier); ok {
		alloc = model.FormatValue(model.Count, t.Allocation.HoursPerWeek)
	}
	// Rounded half up, as the detail's sentence rounds: 1.25 reads 1.3 in both.
	return strconv.FormatFloat(math.Round(h*10)/10, 'f', 1, 64) + "/" + alloc
}

// dayOf is what of the clock the rows depend on: the date (the current
// period) and, with a calendar, last week in its zone, which turns at the
// calendar's midnight, not the clock's.
func dayOf(at time.Time, calendarZone *time.Location) string {
	day := at.Format(time.DateOnly)
	if calendarZone != nil {
		day += " " + model.LastWeek(at, calendarZone).String()
	}
	return day
}

// buildDataset evaluates every partner and orders the rows for each sort.
// It runs inside the load command, never in Update.
func buildDataset(p *model.Program, snap *store.Snapshot, now time.Time) *dataset {
	d := &dataset{program: p, snap: snap}
	// The same period show and review use: the last complete one (or the
	// latest with data when imports lag), never a period still running.
	d.period = model.CurrentPeriod(now, p.Cadence, snap.Periods)
	upTo := snap.Periods
	for len(upTo) > 0 && d.period.Before(upTo[len(upTo)-1]) {
		upTo = upTo[:len(upTo)-1]
	}
	d.trendPeriods = upTo[max(0, len(upTo)-maxTrend):]
	for _, hs := range snap.History {
		if last := model.LastReviewed(p, nil, hs); d.reviewedInHistory.Before(last) {
			d.reviewedInHistory = last
		}
	}

	for _, key := range p.TopTier().Criteria.Metrics() {
		if m, ok := p.Metric(key); ok {
			d.keyMetrics = append(d.keyMetrics, m)
		}
	}
	d.trendMetric = trendMetricOf(p, d.keyMetrics)

	// Sections: highest tier first, then a catch-all for unknown tiers.
	secOf := make(map[string]int, len(p.Tiers))
	for i := len(p.Tiers) - 1; i >= 0; i-- {
		t := p.Tiers[i]
		secOf[t.Key] = len(d.sections)
		d.sections = append(d.sections, section{
			tier: t.Key,
			name: strings.ToUpper(t.Name),
			buys: tierBuys(t.Allocation, p.Cadence),
		})
	}
	unknown := -1

	d.tracks = make(map[string]string, len(p.Tracks))
	for _, t := range p.Tracks {
		d.tracks[t.Key] = t.Name
	}

	ev := model.NewEvaluator(p, d.period)
	// The filter's search keys, every row's in one string.
	var search strings.Builder
	search.Grow(searchSize(snap.Partners))
	searchLen := make([]int32, 0, len(snap.Partners))
	var scratch []byte
	d.rows = make([]row, 0, len(snap.Partners))
	d.values = make([]float64, 0, len(snap.Partners)*len(d.keyMetrics))
	for i := range snap.Partners {
		pa := &snap.Partners[i]
		if pa.Exited {
			continue
		}
		sec, ok := secOf[pa.Tier]
		if !ok {
			if unknown < 0 {
				unknown = len(d.sections)
				d.sections = append(d.sections, section{name: "NOT IN THE PROGRAM'S TIERS", buys: "re-evaluated at the next review"})
			}
			sec = unknown
		}
		earned := ev.Earned(pa, snap.Production[pa.ID])
		r := row{
			partner:  pa,
			section:  int32(sec),
			pipeline: ev.Value(d.trendMetric.Key),
			metrics:  int32(len(d.values)),
		}
		if ok {
			switch ce, ee := p.TierIndex(pa.Tier), p.TierIndex(earned); {
			case ee > ce:
				r.earnDir = 1
			case ee < ce:
				r.earnDir = -1
			}
		}
		for _, m := range d.keyMetrics {
			d.values = append(d.values, ev.Value(m.Key))
		}
		scratch = appendSearchKey(scratch[:0], pa)
		search.Write(scratch)
		searchLen = append(searchLen, int32(len(scratch)))
		d.rows = append(d.rows, r)
		d.sections[sec].total++
	}

	all, at := search.String(), 0
	for i, n := range searchLen {
		d.rows[i].search = all[at : at+int(n)]
		at += int(n)
	}

	// Rows may name tracks and managers the program does not: measure a
	// sample, each name once.
	trackSeen, managerSeen := map[string]bool{}, map[string]bool{}
	for i := 0; i < len(d.rows) && i < 2000; i++ {
		pa := d.rows[i].partner
		if !trackSeen[pa.Track] {
			trackSeen[pa.Track] = true
			d.sampleTrackW = max(d.sampleTrackW, min(trackMax, ansi.StringWidth(d.track(&d.rows[i]))))
		}
		if !managerSeen[pa.Manager] {
			managerSeen[pa.Manager] = true
			d.sampleManagerW = max(d.sampleManagerW, min(managerMax, ansi.StringWidth(d.rows[i].manager())))
		}
	}

	// Managers are few: rank them once (by the name shown), so sorting
	// compares numbers.
	shown := map[string]string{} // as stored → as shown
	var managers []string
	for i := range d.rows {
		m := d.rows[i].partner.Manager
		if _, ok := shown[m]; !ok {
			shown[m] = clean(m)
			managers = append(managers, shown[m])
		}
	}
	slices.SortFunc(managers, func(a, b string) int {
		return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
	})
	managers = slices.Compact(managers)
	byShown := make(map[string]int32, len(managers))
	for i, m := range managers {
		byShown[m] = int32(i)
	}
	rank := make(map[string]int32, len(shown))
	for m, s := range shown {
		rank[m] = byShown[s]
	}
	for i := range d.rows {
		d.rows[i].managerRank = rank[d.rows[i].partner.Manager]
	}

	// One order per sort mode and section; the snapshot is sorted by name.
	for s := range numSorts {
		d.order[s] = make([][]int32, len(d.sections))
	}
	for i := range d.sections {
		d.order[sortName][i] = make([]int32, 0, d.sections[i].total)
	}
	for i := range d.rows {
		sec := d.rows[i].section
		d.order[sortName][sec] = append(d.order[sortName][sec], int32(i))
	}
	// The other orders break ties by name. Each sorts the rows' keys side
	// by side rather than reaching into every row, and they sort at once.
	var wg sync.WaitGroup
	wg.Go(func() {
		for i, base := range d.order[sortName] {
			d.order[sortPipeline][i] = orderBy(base, func(r int32) float64 { return d.rows[r].pipeline },
				func(a, b float64) int { return cmp.Compare(b, a) }) // highest first
		}
	})
	wg.Go(func() {
		for i, base := range d.order[sortName] {
			d.order[sortSince][i] = orderBy(base, func(r int32) instant {
				t := d.rows[r].partner.TierSince
				return instant{t.Unix(), int32(t.Nanosecond())}
			}, func(a, b instant) int { return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.nsec, b.nsec)) })
		}
	})
	for i, base := range d.order[sortName] {
		d.order[sortManager][i] = orderBy(base, func(r int32) int32 { return d.rows[r].managerRank }, cmp.Compare[int32])
	}
	wg.Wait()
	return d
}

// instant is a time.Time as a sort key.
type instant struct {
	sec  int64
	nsec int32
}

// orderBy orders rows (given in name order) by key, ties in name order.
func orderBy[K any](rows []int32, key func(int32) K, compare func(a, b K) int) []int32 {
	type keyed struct {
		k K
		r int32
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		ks[i] = keyed{key(r), r}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return cmp.Or(compare(a.k, b.k), cmp.Compare(a.r, b.r)) })
	out := make([]int32, len(rows))
	for i, k := range ks {
		out[i] = k.r
	}
	return out
}

// track is the name of the row's track, or its key.
func (d *dataset) track(r *row) string {
	return clean(cmp.Or(d.tracks[r.partner.Track], r.partner.Track))
}

// metric is the row's aggregate of key metric j, formatted short.
func (d *dataset) metric(r *row, j int) string {
	return model.FormatShort(d.keyMetrics[j].Unit, d.values[int(r.metrics)+j])
}

// trend is the row's trend metric over the trend periods.
func (d *dataset) trend(r *row) []float64 {
	if len(d.trendPeriods) == 0 {
		return nil
	}
	return d.snap.Production[r.partner.ID].Values(d.trendMetric.Key, d.trendPeriods)
}

// trendMetricOf picks the metric the list's trend follows: the first summed
// money metric the top tier asks for (sourced pipeline), else the first key
// metric.
func trendMetricOf(p *model.Program, key []model.Metric) model.Metric {
	for _, m := range key {
		if m.Unit == model.Money && m.Aggregate != model.Latest {
			return m
		}
	}
	if len(key) > 0 {
		return key[0]
	}
	for _, m := range p.Metrics {
		if !m.Size {
			return m
		}
	}
	return model.Metric{}
}

// searchSize is about the length of the partners' search keys.
func searchSize(ps []model.Partner) int {
	n := 0
	for i := range ps {
		if ps[i].Exited {
			continue
		}
		n += len(ps[i].Name)
		for _, a := range ps[i].Aliases {
			n += 1 + len(a)
		}
		for _, dm := range ps[i].Domains {
			n += 1 + len(dm)
		}
	}
	return n
}

// appendSearchKey appends what the filter searches: the lower-cased name,
// aliases and domains as shown (cleaned: a hidden escape never matches),
// one a line.
func appendSearchKey(b []byte, p *model.Partner) []byte {
	b = appendLower(b, clean(p.Name))
	for _, a := range p.Aliases {
		b = appendLower(append(b, '\n'), clean(a))
	}
	for _, dm := range p.Domains {
		b = appendLower(append(b, '\n'), clean(dm))
	}
	return b
}

// appendLower appends strings.ToLower(s), without allocating when s is
// ASCII.
func appendLower(b []byte, s string) []byte {
	start := len(b)
	b = append(b, s...)
	for i, c := range b[start:] {
		switch {
		case c >= utf8.RuneSelf:
			return append(b[:start], strings.ToLower(s)...)
		case 'A' <= c && c <= 'Z':
			b[start+i] = c + 'a' - 'A'
		}
	}
	return b
}

// tierBuys says what a tier buys per partner, in a line:
// "3 h/wk · $25,000 MDF/qtr · reg priority 3 · 20% margin".
func tierBuys(a model.Allocation, c model.Cadence) string {
	parts := []string{hours(a.HoursPerWeek) + " h/wk"}
	if a.MDFPerPeriod > 0 {
		parts = append(parts, model.FormatValue(model.Money, a.MDFPerPeriod)+" MDF/"+periodWord(c))
	} else {
		parts = append(parts, "no MDF")
	}
	if a.DealRegPriority > 0 {
		parts = append(parts, "reg priority "+strconv.Itoa(a.DealRegPriority))
	}
	if a.MarginPercent > 0 {
		parts = append(parts, strconv.FormatFloat(a.MarginPercent, 'f', -1, 64)+"% margin")
	}
	return strings.Join(parts, " · ")
}

func hours(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) }

func periodWord(c model.Cadence) string {
	if c == model.HalfYearly {
		return "half"
	}
	return "qtr"
}

func periodsWord(c model.Cadence, n int) string {
	w := "quarter"
	if c == model.HalfYearly {
		w = "half-year"
	}
	if n == 1 {
		return "1 " + w
	}
	return fmt.Sprintf("%d %ss", n, w)
}

// metricHeader is a metric's column title of at most nine cells:
// "Sourced pipeline" reads "Pipeline".
func metricHeader(m model.Metric) string {
	l := m.Label
	if len([]rune(l)) <= 9 {
		return l
	}
	if i := strings.LastIndexByte(l, ' '); i >= 0 && len([]rune(l[i+1:])) <= 9 {
		return capitalize(l[i+1:])
	}
	return l
}

// rowOf is the row of the partner with id, or -1.
func (d *dataset) rowOf(id string) int32 {
	if id == "" {
		return -1
	}
	for i := range d.rows {
		if d.rows[i].partner.ID == id {
			return int32(i)
		}
	}
	return -1
}

// since is the first period the store has production for, of the
// program's cadence: where the evidence of misses begins (model.Propose).
func (d *dataset) since() model.Period {
	for _, q := range d.snap.Periods {
		if q.Cad == d.program.Cadence {
			return q
		}
	}
	return model.Period{}
}
