package ui

import (
	"slices"

	"github.com/charmbracelet/x/ansi"
	"github.com/partnertiers/partnertiers/model"
)

type colKind int

const (
	colName colKind = iota
	colTrack
	colManager
	colSince
	colMetric
	colTrend
	colArrow
	colHours // last week's hours against the allocation
)

// column is one column of the partners list, sized once per resize.
type column struct {
	kind   colKind
	metric int // for colMetric: index into dataset.keyMetrics
	title  string
	width  int
	right  bool
}

// cell is the row's text for the column, exactly width cells wide. Cells
// are formatted as they are drawn: only visible rows are.
func (c column) cell(d *dataset, r *row) string {
	switch c.kind {
	case colName:
		return fit(r.name(), c.width)
	case colTrack:
		return fit(d.track(r), c.width)
	case colManager:
		return fit(shortPerson(r.manager(), c.width), c.width)
	case colSince:
		return fit(r.since(), c.width)
	case colMetric:
		return fitRight(d.metric(r, c.metric), c.width)
	case colTrend:
		return fit(sparkline(d.trend(r)), c.width)
	case colArrow:
		return fit(trendArrow(d.trend(r)), c.width)
	case colHours:
		return fitRight(d.weekHours(r), c.width)
	}
	return ""
}

const (
	markWidth   = 3 // cursor, earned-tier marker, space
	nameMin     = 22
	nameMax     = 32
	managerMin  = 10
	managerMax  = 18
	trackMax    = 10
	sinceWidth  = 8 // "Apr 2024"
	metricWidth = 6
)

// layoutColumns picks the columns that fit width, most useful first, and
// lays them out in reading order: name, track, manager, since, metrics,
// trend. The name takes what is left, up to nameMax; then the manager.
func layoutColumns(d *dataset, width int) []column {
	trackW, managerW := 5, managerMin
	for _, t := range d.program.Tracks {
		trackW = max(trackW, min(trackMax, ansi.StringWidth(t.Name)))
	}
	for _, m := range d.program.Managers {
		managerW = max(managerW, min(managerMax, ansi.StringWidth(m.Name)))
	}
	// Partners may name others; a sample of rows is enough.
	trackW, managerW = max(trackW, d.sampleTrackW), max(managerW, d.sampleManagerW)
	trendW := len(d.trendPeriods)
	if trendW > 0 {
		trendW = max(trendW, 5)
	}

	type cand struct {
		c   column
		pos int // reading order
	}
	var cands []cand
	add := func(c column, pos int) { cands = append(cands, cand{c, pos}) }
	add(column{kind: colName, title: "Partner", width: nameMin}, 0)
	add(column{kind: colTrack, title: "Track", width: trackW}, 1)
	add(column{kind: colSince, title: "Since", width: sinceWidth}, 3)
	if d.hours != nil {
		add(column{kind: colHours, title: "Last wk", width: 8, right: true}, 4)
	}
	metricCol := func(i int) column {
		t := metricHeader(d.keyMetrics[i])
		return column{kind: colMetric, metric: i, title: t, width: max(metricWidth, ansi.StringWidth(t)), right: true}
	}
	trendIdx := slices.IndexFunc(d.keyMetrics, func(m model.Metric) bool { return m.Key == d.trendMetric.Key })
	if trendIdx >= 0 {
		add(metricCol(trendIdx), 10+trendIdx)
	}
	if trendW > 0 {
		add(column{kind: colTrend, title: "Trend", width: trendW}, 100)
	}
	add(column{kind: colManager, title: "Manager", width: managerMin}, 2)
	for i := range d.keyMetrics {
		if i != trendIdx {
			add(metricCol(i), 10+i)
		}
	}

	used := markWidth - 1 // each column adds its width and a gap
	var picked []cand
	for _, c := range cands {
		if used+1+c.c.width > width {
			if c.c.kind == colTrend && used+2 <= width {
				picked = append(picked, cand{column{kind: colArrow, title: "", width: 1}, c.pos})
				used += 2
			}
			continue
		}
		picked = append(picked, c)
		used += 1 + c.c.width
	}
	// Share what is left: the name first, then the manager.
	left := width - used
	for i := range picked {
		c := &picked[i].c
		switch c.kind {
		case colName:
			g := min(left, nameMax-c.width)
			c.width += g
			left -= g
		}
	}
	for i := range picked {
		c := &picked[i].c
		if c.kind == colManager {
			g := min(left, managerW-c.width)
			c.width += max(0, g)
			left -= max(0, g)
		}
	}
	slices.SortStableFunc(picked, func(a, b cand) int { return a.pos - b.pos })
	cols := make([]column, len(picked))
	for i, c := range picked {
		cols[i] = c.c
	}
	return cols
}
