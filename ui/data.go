package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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

// row is one partner as the list shows it, computed once when the snapshot
// loads so that a key press never formats or evaluates anything.
type row struct {
	partner *model.Partner
	section int // index into dataset.sections
	earnDir int // +1 earns a higher tier, -1 a lower one, 0 its own

	name    string
	track   string
	manager string
	since   string   // "Apr 2024"
	metrics []string // the key metrics, formatted short
	trend   string   // sparkline of the trend metric
	arrow   string   // ↑/↓ of the trend metric, for narrow screens

	search      string // lower-cased name, aliases and domains, for the filter
	pipeline    float64
	sinceT      time.Time
	managerRank int32 // the manager's place in alphabetical order
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

	sections []section
	rows     []row
	// order holds, per sort mode and per section, row indices in order.
	order [numSorts][][]int32
}

// buildDataset evaluates and formats every partner. It runs inside the load
// command, never in Update.
func buildDataset(p *model.Program, snap *store.Snapshot, now time.Time) *dataset {
	d := &dataset{program: p, snap: snap}
	if n := len(snap.Periods); n > 0 {
		d.period = snap.Periods[n-1]
		d.trendPeriods = snap.Periods[max(0, n-maxTrend):]
	} else {
		d.period = model.LastComplete(now, p.Cadence)
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

	tracks := make(map[string]string, len(p.Tracks))
	for _, t := range p.Tracks {
		tracks[t.Key] = t.Name
	}

	d.rows = make([]row, 0, len(snap.Partners))
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
		series := snap.Production[pa.ID]
		ev := model.Evaluate(p, pa, series, d.period)
		r := row{
			partner:  pa,
			section:  sec,
			name:     clean(pa.Name),
			track:    clean(cmp.Or(tracks[pa.Track], pa.Track)),
			manager:  clean(pa.Manager),
			sinceT:   pa.TierSince,
			pipeline: ev.Values[d.trendMetric.Key],
		}
		if !pa.TierSince.IsZero() {
			r.since = pa.TierSince.Format("Jan 2006")
		}
		if ok {
			switch ce, ee := p.TierIndex(pa.Tier), p.TierIndex(ev.Earned); {
			case ee > ce:
				r.earnDir = 1
			case ee < ce:
				r.earnDir = -1
			}
		}
		r.metrics = make([]string, len(d.keyMetrics))
		for j, m := range d.keyMetrics {
			r.metrics[j] = model.FormatShort(m.Unit, ev.Values[m.Key])
		}
		if len(d.trendPeriods) > 0 {
			vals := series.Values(d.trendMetric.Key, d.trendPeriods)
			r.trend = sparkline(vals)
			r.arrow = trendArrow(vals)
		}
		r.search = searchKey(pa)
		d.rows = append(d.rows, r)
		d.sections[sec].total++
	}

	// Managers are few: rank them once, so sorting compares numbers.
	var managers []string
	seen := map[string]bool{}
	for i := range d.rows {
		if m := d.rows[i].manager; !seen[m] {
			seen[m] = true
			managers = append(managers, m)
		}
	}
	slices.SortFunc(managers, func(a, b string) int {
		return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
	})
	rank := make(map[string]int32, len(managers))
	for i, m := range managers {
		rank[m] = int32(i)
	}
	for i := range d.rows {
		d.rows[i].managerRank = rank[d.rows[i].manager]
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
	byName := func(a, b int32) int { return cmp.Compare(a, b) }
	less := [numSorts]func(a, b int32) int{
		sortPipeline: func(a, b int32) int {
			return cmp.Or(cmp.Compare(d.rows[b].pipeline, d.rows[a].pipeline), byName(a, b))
		},
		sortSince: func(a, b int32) int {
			return cmp.Or(d.rows[a].sinceT.Compare(d.rows[b].sinceT), byName(a, b))
		},
		sortManager: func(a, b int32) int {
			return cmp.Or(cmp.Compare(d.rows[a].managerRank, d.rows[b].managerRank), byName(a, b))
		},
	}
	for s := sortPipeline; s < numSorts; s++ {
		for i, base := range d.order[sortName] {
			o := slices.Clone(base)
			slices.SortStableFunc(o, less[s])
			d.order[s][i] = o
		}
	}
	return d
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

func searchKey(p *model.Partner) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(p.Name))
	for _, a := range p.Aliases {
		b.WriteByte('\n')
		b.WriteString(strings.ToLower(a))
	}
	for _, dm := range p.Domains {
		b.WriteByte('\n')
		b.WriteString(strings.ToLower(dm))
	}
	return b.String()
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
