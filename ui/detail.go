package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/partnertiers/partnertiers/model"
)

// partnerDetail is one partner opened from the list: where it stands, the
// evidence table with a sparkline per metric, what its tier buys, and its
// tier history. Its lines are built once per open and per resize; scrolling
// only moves an offset.
type partnerDetail struct {
	c   *common
	d   *dataset
	r   *row
	ev  model.Evaluation
	pro model.Proposal

	width, height int
	title         string   // the sticky first line
	lines         []string // everything below it, each at most width cells
	offset        int
}

func newPartnerDetail(c *common, d *dataset, r *row) *partnerDetail {
	series := d.snap.Production[r.partner.ID]
	return &partnerDetail{
		c: c, d: d, r: r,
		ev:  model.Evaluate(d.program, r.partner, series, d.period),
		pro: model.Propose(d.program, r.partner, series, d.period, d.since()),
	}
}

func (dt *partnerDetail) setSize(w, h int) {
	dt.width, dt.height = w, h
	dt.build()
	dt.scroll(0)
}

func (dt *partnerDetail) bodyHeight() int { return max(1, dt.height-1) }

func (dt *partnerDetail) scroll(n int) {
	dt.offset = min(max(dt.offset+n, 0), max(0, len(dt.lines)-dt.bodyHeight()))
}

// view renders exactly height lines: the title, then the scrolled body
// with a "more" mark at the bottom while there is more below.
func (dt *partnerDetail) view() string {
	h := dt.bodyHeight()
	out := make([]string, 0, h+1)
	out = append(out, dt.title)
	end := min(len(dt.lines), dt.offset+h)
	out = append(out, dt.lines[dt.offset:end]...)
	if end < len(dt.lines) && len(out) > 1 {
		more := "↓ more below · j, pgdn"
		out[len(out)-1] = dt.c.styles.Muted.Render(fitRight(more, dt.width))
	}
	for len(out) < h+1 {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

func (dt *partnerDetail) build() {
	p, pa, st, w := dt.d.program, dt.r.partner, dt.c.styles, max(20, dt.width)
	cur, hasCur := p.Tier(pa.Tier)
	tierName := p.TierName(pa.Tier)

	// Title: name, and the tier with its date on the right.
	since := ""
	if !pa.TierSince.IsZero() {
		since = " since " + pa.TierSince.Format(time.DateOnly)
	}
	right := tierName + since
	name := dt.r.name()
	if sw := ansi.StringWidth(right); sw+3 < w {
		name = clip(name, w-sw-2)
		dt.title = spread(st.Title.Render(name), st.Heading.Render(right), w)
	} else {
		dt.title = st.Title.Render(clip(name+" · "+right, w))
	}

	var lines []string
	add := func(s string) { lines = append(lines, clip(s, w)) }
	para := func(style func(...string) string, text string, indent int) {
		pad := strings.Repeat(" ", indent)
		for _, l := range strings.Split(ansi.Wordwrap(text, max(10, w-indent), ""), "\n") {
			add(pad + style(l))
		}
	}
	label := st.Label.Render

	// Who: track, manager, joined; domains and aliases.
	facts := []string{dt.d.track(dt.r) + " track", "manager " + orDash(dt.r.manager())}
	if !pa.Joined.IsZero() {
		facts = append(facts, "joined "+pa.Joined.Format(time.DateOnly))
	}
	para(st.Sentence.Render, strings.Join(facts, " · "), 0)
	var ids []string
	if len(pa.Domains) > 0 {
		ids = append(ids, "domains "+clean(strings.Join(pa.Domains, ", ")))
	}
	if len(pa.Aliases) > 0 {
		ids = append(ids, "aka "+clean(strings.Join(pa.Aliases, ", ")))
	}
	if len(ids) > 0 {
		para(label, strings.Join(ids, " · "), 0)
	}
	lines = append(lines, "")

	// Where it stands.
	for _, s := range dt.standing(cur, hasCur) {
		para(s.style, s.text, 0)
	}
	lines = append(lines, "")

	// Evidence.
	window := dt.d.period.Window(p.Window)
	head := "Evidence for " + dt.d.period.String()
	if len(window) > 1 {
		head += ", over " + periodsWord(p.Cadence, len(window)) + " (" + window[0].String() + " to " + window[len(window)-1].String() + ")"
	}
	add(st.Heading.Render(clip(head, w)))
	lines = append(lines, dt.evidence(w)...)
	lines = append(lines, "")

	// What the tier buys.
	if hasCur {
		add(st.Heading.Render(clip(tierName+" buys", w)))
		para(st.Sentence.Render, tierBuys(cur.Allocation, p.Cadence), 2)
		if len(cur.Allocation.Benefits) > 0 {
			para(label, strings.Join(cur.Allocation.Benefits, " · "), 2)
		}
		lines = append(lines, "")
	}

	// Tier history, newest first.
	add(st.Heading.Render("Tier history"))
	hist := dt.d.snap.History[pa.ID]
	if len(hist) == 0 {
		add("  " + st.Muted.Render("No tier changes recorded."))
	}
	for i := len(hist) - 1; i >= 0; i-- {
		h := hist[i]
		date := h.Period.Start().Format(time.DateOnly)
		if !h.At.IsZero() {
			date = h.At.Format(time.DateOnly)
		}
		move := "joined " + p.TierName(h.To)
		if h.From != "" {
			move = p.TierName(h.From) + " → " + p.TierName(h.To)
		}
		mark, ms := " ", st.Sentence
		switch h.Direction(p) {
		case 1:
			mark, ms = "▲", st.Up
		case -1:
			mark, ms = "▼", st.Down
		}
		var extra []string
		if h.Override {
			extra = append(extra, "override")
		}
		if h.By != "" {
			extra = append(extra, "by "+clean(h.By))
		}
		line := "  " + date + " " + ms.Render(mark+" "+fit(move, 21)) + " " + label(fit(h.Period.String(), 7))
		if len(extra) > 0 {
			line += " " + label(strings.Join(extra, " "))
		}
		add(line)
		if h.Reason != "" {
			para(st.Muted.Render, clean(h.Reason), 15)
		}
	}
	dt.lines = lines
}

type sentence struct {
	style func(...string) string
	text  string
}

// standing says where the partner stands: against its own tier, against the
// next one, what it earns, and what the next review will propose.
func (dt *partnerDetail) standing(cur model.Tier, hasCur bool) []sentence {
	p, st, ev := dt.d.program, dt.c.styles, dt.ev
	name := p.TierName(dt.r.partner.Tier)
	var out []sentence
	check := ev.CurrentCheck()
	switch {
	case !hasCur:
		out = append(out, sentence{st.Missed.Render, "Its tier " + quote(dt.r.partner.Tier) + " is not in the program."})
	case cur.Criteria.Empty():
		out = append(out, sentence{st.Sentence.Render, name + " is the entry tier: it has no criteria."})
	case check.Met:
		out = append(out, sentence{st.Met.Render, "✓ Meets every " + name + " criterion."})
	case missesAll(check):
		out = append(out, sentence{st.Missed.Render, "✗ Misses every " + name + " criterion."})
	default:
		var parts []string
		for _, e := range check.Missed() {
			parts = append(parts, model.EvidenceLine(p, e))
		}
		out = append(out, sentence{st.Missed.Render, "✗ Misses " + name + " on " + joinAnd(parts) + "."})
	}
	if next, ok := ev.NextCheck(p); ok {
		style := st.Sentence.Render
		if next.Met {
			style = st.Met.Render
		}
		out = append(out, sentence{style, capitalize(model.GapSentence(p, next)) + "."})
	} else if hasCur {
		out = append(out, sentence{st.Sentence.Render, name + " is the top tier."})
	}
	ci, ei := p.TierIndex(dt.r.partner.Tier), p.TierIndex(ev.Earned)
	switch {
	case hasCur && ei > ci:
		out = append(out, sentence{st.Up.Render, "▲ Earns " + p.TierName(ev.Earned) + " on this production: above its tier."})
	case hasCur && ei < ci:
		out = append(out, sentence{st.Down.Render, "▼ Earns " + p.TierName(ev.Earned) + " on this production: below its tier."})
	}
	if dt.pro.Explanation != "" {
		out = append(out, sentence{st.Label.Render, "Next review: " + dt.pro.Explanation})
	}
	if dt.d.hours != nil {
		text := fmt.Sprintf("Last week (%s): %s h of manager time", dt.d.hoursWeek, model.FormatValue(model.Count, math.Round(dt.d.hours[dt.r.partner.ID]*10)/10))
		if hasCur {
			text += " against " + model.FormatValue(model.Count, cur.Allocation.HoursPerWeek) + " h allocated"
		}
		out = append(out, sentence{st.Sentence.Render, text + "."})
		for _, m := range dt.d.attended[dt.r.partner.ID] {
			line := fmt.Sprintf("  %-16s %4s h  %s", m.Start.In(dt.d.zone).Format("Mon 2 Jan 15:04"), model.FormatHours(math.Round(m.Hours*100)/100), clean(m.Summary))
			if m.Sharing > 1 {
				line += fmt.Sprintf(" (shared by %d partners)", m.Sharing)
			}
			out = append(out, sentence{st.Muted.Render, line})
		}
	}
	return out
}

// missesAll reports whether not one of the tier's criteria is met.
func missesAll(c model.TierCheck) bool {
	if len(c.Evidence) == 0 {
		return false
	}
	for _, e := range c.Evidence {
		if e.Met {
			return false
		}
	}
	return true
}

// evidence is the table: metric, value, this tier's minimum, the next
// tier's minimum, the gap and a sparkline over the snapshot's periods. Size
// metrics come last, as context that no tier counts.
func (dt *partnerDetail) evidence(w int) []string {
	p, st, ev := dt.d.program, dt.c.styles, dt.ev
	cur := ev.CurrentCheck()
	next, hasNext := ev.NextCheck(p)
	target := cur // the gap is to the next tier, or to keep the top one
	if hasNext {
		target = next
	}
	curName := p.TierName(dt.r.partner.Tier)
	nextName := ""
	if hasNext {
		nextName = p.TierName(next.Tier)
	}

	find := func(c model.TierCheck, metric string) (model.Evidence, bool) {
		for _, e := range c.Evidence {
			if e.Metric == metric {
				return e, true
			}
		}
		return model.Evidence{}, false
	}
	anyMet := func(c model.TierCheck) bool {
		return slices.ContainsFunc(c.Evidence, func(e model.Evidence) bool { return e.Any && e.Met })
	}

	labelW := 6
	for _, m := range p.Metrics {
		labelW = max(labelW, ansi.StringWidth(m.Label)+2)
	}
	labelW = min(labelW, 20)
	trendW := len(dt.d.trendPeriods)
	if trendW > 0 {
		trendW = max(trendW, 5)
	}
	const valW, minW, gapW = 10, 12, 10
	titles := []string{"Metric", "Value", curName + " min", orDash(nextName) + " min", "Gap to " + p.TierName(target.Tier), "Trend"}
	if nextName == "" {
		titles[3] = "Next min"
	}
	widths := []int{labelW, valW, minW, minW, gapW, trendW}
	for i := 1; i < 5; i++ {
		widths[i] = max(widths[i], ansi.StringWidth(titles[i]))
	}
	total := func() int {
		n := 2 + len(widths) - 1
		for _, x := range widths {
			n += x
		}
		return n
	}
	if total() > w { // narrow: short titles, base widths
		titles = []string{"Metric", "Value", "This min", "Next min", "Gap", "Trend"}
		widths = []int{labelW, valW, minW, minW, gapW, trendW}
	}
	if total() > w && trendW > 0 {
		widths = widths[:5]
	}
	if total() > w {
		widths[0] = max(6, widths[0]-(total()-w))
	}

	row := func(cells []string, styles []func(...string) string) string {
		var b strings.Builder
		b.WriteString("  ")
		for i, width := range widths {
			if i > 0 {
				b.WriteByte(' ')
			}
			var c string
			if i == 0 || i == 5 {
				c = fit(cells[i], width)
			} else {
				c = fitRight(cells[i], width)
			}
			if styles != nil && styles[i] != nil {
				c = styles[i](c)
			}
			b.WriteString(c)
		}
		return clip(b.String(), w)
	}

	var out []string
	out = append(out, st.ColumnHeader.Render(clip(row(titles, nil), w)))
	value := func(m model.Metric, v float64, width int) string {
		if s := model.FormatValue(m.Unit, v); ansi.StringWidth(s) <= width {
			return s
		}
		return model.FormatShort(m.Unit, v)
	}
	plain := st.Sentence.Render
	starred := false
	for _, m := range p.Metrics {
		if m.Size {
			continue
		}
		cells := make([]string, 6)
		styles := make([]func(...string) string, 6)
		cells[0], styles[0] = m.Label, plain
		cells[1], styles[1] = value(m, ev.Values[m.Key], valW), plain
		minCell := func(c model.TierCheck) (string, func(...string) string) {
			e, ok := find(c, m.Key)
			if !ok {
				return "—", st.Muted.Render
			}
			if e.Any {
				starred = true
				cells[0] = m.Label + " *"
			}
			switch {
			case e.Met:
				return value(m, e.Min, minW-2) + " ✓", st.Met.Render
			case e.Any && anyMet(c):
				return value(m, e.Min, minW-2) + " ·", st.Muted.Render
			}
			return value(m, e.Min, minW-2) + " ✗", st.Missed.Render
		}
		cells[2], styles[2] = minCell(cur)
		if hasNext {
			cells[3], styles[3] = minCell(next)
		} else {
			cells[3], styles[3] = "—", st.Muted.Render
		}
		if e, ok := find(target, m.Key); !ok {
			cells[4], styles[4] = "—", st.Muted.Render
		} else if e.Met {
			cells[4], styles[4] = "met", st.Met.Render
		} else if e.Any && anyMet(target) {
			cells[4], styles[4] = "not needed", st.Muted.Render
		} else {
			cells[4], styles[4] = value(m, e.Gap, gapW), st.Missed.Render
		}
		cells[5], styles[5] = dt.spark(m.Key), st.Trend.Render
		out = append(out, row(cells, styles))
	}
	for _, m := range p.Metrics {
		if !m.Size {
			continue
		}
		// The minimum columns read "size: not counted".
		span := widths[2] + 1 + widths[3] + 1 + widths[4]
		line := "  " + st.Muted.Render(fit(m.Label, widths[0])) + " " +
			st.Muted.Render(fitRight(value(m, ev.Values[m.Key], valW), widths[1])) + " " +
			st.NotCounted.Render(fitRight("size: not counted", span))
		if len(widths) == 6 {
			line += " " + st.Muted.Render(fit(dt.spark(m.Key), widths[5]))
		}
		out = append(out, clip(line, w))
	}
	var notes []string
	if starred {
		notes = append(notes, "* one of the starred metrics is enough")
	}
	if len(dt.d.trendPeriods) > 1 && len(widths) == 6 {
		tp := dt.d.trendPeriods
		notes = append(notes, "trend "+tp[0].String()+" to "+tp[len(tp)-1].String())
	}
	if len(notes) > 0 {
		out = append(out, st.Muted.Render(clip("  "+strings.Join(notes, " · "), w)))
	}
	return out
}

func (dt *partnerDetail) spark(metric string) string {
	if len(dt.d.trendPeriods) == 0 {
		return ""
	}
	return sparkline(dt.d.snap.Production[dt.r.partner.ID].Values(metric, dt.d.trendPeriods))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
