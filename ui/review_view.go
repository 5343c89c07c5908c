package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/model"
)

// kindText is a group's header: the kind in capitals and what it means.
var kindText = map[model.MoveKind][2]string{
	model.Promote: {"PROMOTE", "earn a higher tier"},
	model.Demote:  {"DEMOTE", "missed their tier again: one step down"},
	model.Grace:   {"GRACE", "first miss: held this time, the next one demotes"},
	model.New:     {"NEW", "too new to judge: held"},
	model.Hold:    {"HOLD", "earn the tier they hold"},
}

// View renders exactly height lines.
func (s *reviewScreen) View() string {
	var lines []string
	switch s.mode {
	case reviewLoading:
		lines = []string{s.c.styles.Loading.Render("Loading the reviews…")}
	case reviewPeriods:
		lines = s.periodsView()
	case reviewList:
		lines = s.listView()
	case reviewConfirm:
		lines = s.countsView(true)
	case reviewDiscard:
		lines = s.discardView()
	case reviewSummary:
		lines = s.countsView(false)
	}
	return fitBlock(strings.Join(lines, "\n"), s.width, s.height)
}

// periodsView lists the recent periods and every stored review.
func (s *reviewScreen) periodsView() []string {
	st, w := s.c.styles, s.width
	cad := "quarterly"
	if s.prog.Cadence == model.HalfYearly {
		cad = "half-yearly"
	}
	lines := []string{st.Title.Render("Reviews") + st.Muted.Render(" · "+cad+" cadence")}
	var intro string
	switch {
	case s.loadErr != nil:
		lines = append(lines, wrapText(st.Error.Render, "Could not read the reviews: "+clean(s.loadErr.Error()), w, 0)...)
	case s.store == nil:
		intro = "Reviews need the store: start partnertiers on a store to review its partners."
	case s.open != nil:
		intro = fmt.Sprintf("The %s review is open: %d of %s decided. Select it and press enter to resume.",
			s.open.r.Period, s.open.decided, plural(s.open.total, "move"))
	case !s.anyToStart():
		// Everything that has ended is reviewed: say when the next can be.
		next := s.defaultPeriod.Next()
		intro = fmt.Sprintf("Every period that has ended is reviewed. The %s review can start once %s ends on %s.",
			next, next, next.End().AddDate(0, 0, -1).Format("2 Jan 2006"))
	default:
		intro = "No review is open. Pick a period and press enter to start its review: every active partner " +
			"is evaluated and gets a proposal; nothing changes until you finalize."
	}
	if intro != "" {
		lines = append(lines, wrapText(st.Sentence.Render, intro, w, 0)...)
	}
	lines = append(lines, "")
	lines = append(lines, st.ColumnHeader.Render(fit("  Period   Status", w)))

	room := max(1, s.height-len(lines)-2)
	offset := max(0, s.pcursor-room+1)
	for i := offset; i < len(s.periods) && i < offset+room; i++ {
		lines = append(lines, s.periodLine(s.periods[i], i == s.pcursor))
	}
	lines = append(lines, "")
	if s.busy != "" {
		lines = append(lines, st.Loading.Render(s.busy))
	} else {
		lines = append(lines, st.Muted.Render(clip("Finalized reviews open read-only, to browse their decisions.", w)))
	}
	return lines
}

func (s *reviewScreen) periodLine(row periodRow, selected bool) string {
	st, w := s.c.styles, s.width
	var status string
	style := st.Muted
	switch {
	case row.info != nil && row.info.r.Status == model.ReviewFinalized:
		r, sum := row.info.r, row.info.sum
		status = "finalized"
		if !r.FinalizedAt.IsZero() {
			status += " " + r.FinalizedAt.Format(time.DateOnly)
		}
		if r.FinalizedBy != "" {
			status += " by " + clean(r.FinalizedBy)
		}
		status += " · " + plural(sum.Promotions, "promotion") + ", " + plural(sum.Demotions, "demotion") +
			", " + plural(sum.Overrides, "override")
		style = st.Sentence
	case row.info != nil:
		status = fmt.Sprintf("open · %d of %s decided", row.info.decided, plural(row.info.total, "move"))
		style = st.Pending
	default:
		status = "not reviewed"
		if row.isDefault {
			status += " · " + s.defaultWhy()
		}
	}
	text := "  " + fit(row.period.String(), 8) + " " + status
	if selected {
		return st.Selected.Render(fit("›"+text[1:], w))
	}
	return style.Render(clip(text, w))
}

// defaultWhy says why the default period is the default.
func (s *reviewScreen) defaultWhy() string {
	unit := "quarter"
	if s.prog.Cadence == model.HalfYearly {
		unit = "half-year"
	}
	if s.defaultPeriod == model.LastComplete(s.now(), s.prog.Cadence) {
		return "the last complete " + unit
	}
	return "the latest " + unit + " with production"
}

// listView is the title line, the proposals and the selected one's
// evidence (or the override dialog over it).
func (s *reviewScreen) listView() []string {
	if s.cur == nil {
		return nil
	}
	lines := []string{s.titleLine()}
	lines = append(lines, s.listLines()...)
	panel := max(0, s.height-len(lines))
	var below []string
	if s.dialog != nil {
		below = s.dialog.view()
	}
	if pr, ok := s.selectedProposal(); ok {
		below = append(below, s.evidence(pr, max(0, panel-len(below)))...)
	} else if s.dialog == nil {
		below = append(below, s.c.styles.Empty.Render("  Every partner holds its tier: h shows them."))
	}
	return append(lines, padLines(below, panel)...)
}

func (s *reviewScreen) titleLine() string {
	st, r, w := s.c.styles, s.cur.r, s.width
	left := st.Title.Render("Review "+r.Period.String()) + st.Muted.Render(" · ")
	if r.Status == model.ReviewFinalized {
		fin := "finalized"
		if !r.FinalizedAt.IsZero() {
			fin += " " + r.FinalizedAt.Format(time.DateOnly)
		}
		left += st.Accepted.Render(fin) + st.Muted.Render(" · read-only")
	} else {
		left += st.Pending.Render("open") + st.Muted.Render(" · "+plural(len(r.Proposals), "partner"))
		if w >= 110 && !r.StartedAt.IsZero() {
			started := " · started " + r.StartedAt.Format(time.DateOnly)
			if r.StartedBy != "" {
				started += " by " + clean(r.StartedBy)
			}
			left += st.Muted.Render(started)
		}
	}
	var right string
	if s.cur.total == 0 {
		right = st.Muted.Render("no moves to decide")
	} else {
		bw := min(24, max(8, w/6))
		right = bar(st, s.cur.decided, s.cur.total, bw) +
			st.Count.Render(fmt.Sprintf(" %d of %d moves decided", s.cur.decided, s.cur.total))
	}
	if s.busy != "" {
		right = st.Loading.Render(s.busy) + "  " + right
	}
	if ansi.StringWidth(left)+1+ansi.StringWidth(right) > w {
		right = st.Count.Render(fmt.Sprintf("%d/%d decided", s.cur.decided, s.cur.total))
	}
	return spread(left, right, w)
}

// rowCols are the widths of the list's columns at the current width; a
// zero width leaves the column out.
type rowCols struct {
	name, move, earns, decision, manager int
}

// colGap is the space between the list's columns.
const colGap = 2

func (s *reviewScreen) cols() rowCols {
	w := s.width
	tierW := 4
	for _, t := range s.prog.Tiers {
		tierW = max(tierW, ansi.StringWidth(t.Name))
	}
	decW := len("overridden to ") + tierW + len(" ↑ upward")
	earnsW := len("earns ") + tierW
	c := rowCols{move: max(4, s.cur.moveWidth), name: min(30, max(12, s.cur.nameWidth))}
	rest := w - 2 - c.name - colGap - c.move - colGap
	if rest < 16 { // narrow: the name gives way, down to 12 cells
		c.name = max(12, c.name-(16-rest))
		rest = w - 2 - c.name - colGap - c.move - colGap
	}
	c.decision = max(0, rest)
	if c.decision >= decW+colGap+earnsW {
		c.earns = earnsW
		c.decision -= earnsW + colGap
	}
	if c.decision >= decW+colGap+12 {
		c.manager = min(18, c.decision-decW-colGap)
		c.decision -= c.manager + colGap
	}
	c.decision = min(c.decision, decW)
	return c
}

// listLines draws the visible part of the list, listHeight lines; the
// first one repeats its group's header when it is a row.
func (s *reviewScreen) listLines() []string {
	out := make([]string, 0, s.listHeight)
	if len(s.groups) == 0 {
		out = append(out, s.c.styles.Empty.Render("  This review has no proposals: no active partner to review."))
		return padLines(out, s.listHeight)
	}
	cols := s.cols()
	gi := 0
	for gi+1 < len(s.groups) && s.groups[gi+1].line <= s.offset {
		gi++
	}
	line := s.offset
	if gv := s.groups[gi]; line > gv.line {
		out = append(out, s.groupLine(gv))
		line++
		for gi+1 < len(s.groups) && s.groups[gi+1].line <= line {
			gi++
		}
	}
	rows := s.listHeight
	if s.moreBelow() {
		rows-- // the last line says what is below
	}
	for len(out) < rows && gi < len(s.groups) {
		gv := s.groups[gi]
		switch i := line - gv.line - 1; {
		case line == gv.line:
			out = append(out, s.groupLine(gv))
		case i < len(gv.rows):
			out = append(out, s.rowLine(gv.rows[i], gv.first+i == s.cursor, cols))
		}
		line++
		if line >= gv.line+1+len(gv.rows) {
			gi++
		}
	}
	if s.moreBelow() {
		out = padLines(out, rows)
		out = append(out, s.belowLine(s.offset+rows))
	}
	return padLines(out, s.listHeight)
}

// belowLine says what the list holds from line on: "↓ NEW 1 · HOLD 8".
func (s *reviewScreen) belowLine(line int) string {
	var names []string
	for _, gv := range s.groups {
		if gv.line >= line {
			g := s.cur.groups[gv.g]
			names = append(names, fmt.Sprintf("%s %d", kindTitle(g.kind), len(g.rows)))
		}
	}
	text := "  ↓ more below"
	if len(names) > 0 {
		text += ": " + strings.Join(names, " · ")
	}
	return s.c.styles.Muted.Render(clip(text+" · j scrolls", s.width))
}

func kindTitle(k model.MoveKind) string {
	if t, ok := kindText[k]; ok {
		return t[0]
	}
	return strings.ToUpper(string(k))
}

func (s *reviewScreen) groupLine(gv groupView) string {
	st := s.c.styles
	g := s.cur.groups[gv.g]
	head := kindTitle(g.kind)
	meta := " · " + strconv.Itoa(len(g.rows))
	if txt := kindText[g.kind]; txt[1] != "" {
		meta += " · " + txt[1]
	}
	if gv.folded {
		meta += " · folded: h shows them"
	}
	return st.Section.Render(head) + st.SectionMeta.Render(clip(meta, max(0, s.width-len(head))))
}

// moveCell is a proposal's move as the list shows it: "Gold → Silver",
// or the tier alone for a hold.
func moveCell(p *model.Program, pr model.Proposal) string {
	if pr.To == pr.From {
		return p.TierName(pr.From)
	}
	return p.TierName(pr.From) + " → " + p.TierName(pr.To)
}

// decisionCell is a proposal's decision in a few words, and its style.
func (s *reviewScreen) decisionCell(pr model.Proposal) (string, func(...string) string) {
	st := s.c.styles
	d, ok := s.cur.r.Decisions[pr.Partner]
	switch {
	case ok && d.Kind == model.Overridden:
		text := "overridden to " + s.prog.TierName(d.Tier)
		if s.cur.r.Upward(s.prog, pr) {
			text += " ↑ upward"
		}
		return text, st.Overridden.Render
	case ok:
		return "✓ accepted", st.Accepted.Render
	case pr.Kind.IsMove():
		return "• pending", st.Pending.Render
	}
	return "held", st.Muted.Render
}

func (s *reviewScreen) rowLine(i int32, selected bool, c rowCols) string {
	st, p := s.c.styles, s.prog
	pr := s.cur.r.Proposals[i]
	move := moveCell(p, pr)
	dec, decStyle := s.decisionCell(pr)
	cells := []string{fit(clean(pr.Name), c.name), fit(move, c.move)}
	styles := []func(...string) string{st.Name.Render, st.Cell.Render}
	if c.earns > 0 {
		cells = append(cells, fit("earns "+p.TierName(pr.Earned), c.earns))
		styles = append(styles, st.Muted.Render)
	}
	cells = append(cells, fit(dec, c.decision))
	styles = append(styles, decStyle)
	if c.manager > 0 {
		cells = append(cells, fit(shortPerson(s.cur.managers[i], c.manager), c.manager))
		styles = append(styles, st.Muted.Render)
	}
	gap := strings.Repeat(" ", colGap)
	if selected {
		return st.Selected.Render(fit("› "+strings.Join(cells, gap), s.width))
	}
	var b strings.Builder
	b.WriteString("  ")
	for j, cell := range cells {
		if j > 0 {
			b.WriteString(gap)
		}
		b.WriteString(styles[j](cell))
	}
	return clip(b.String(), s.width)
}

// evidence is the selected proposal in full: its move, the decision, the
// explanation and the criteria of the tier that matters, in h lines at
// most (the explanation gives way first).
func (s *reviewScreen) evidence(pr model.Proposal, h int) []string {
	if h <= 0 {
		return nil
	}
	st, p, w := s.c.styles, s.prog, s.width
	rule := st.Title.Render(clean(pr.Name)) + st.Muted.Render(" · "+string(pr.Kind)+" "+s.moveText(pr)+" · earns "+p.TierName(pr.Earned)+" ")
	if rw := w - 3 - ansi.StringWidth(rule); rw > 0 {
		rule = st.Border.Render("── ") + rule + st.Border.Render(strings.Repeat("─", rw))
	}
	lines := []string{clip(rule, w)}
	lines = append(lines, s.decisionLines(pr)...)
	full, loaded := s.inFull(pr)
	var crit, table []string
	switch {
	case loaded && full.Evaluation != nil:
		crit, table = s.criteria(pr, full.Evaluation), s.tiersTable(full.Evaluation)
	case loaded:
		crit = []string{st.Muted.Render("No evidence was kept for this proposal.")}
	case s.ev.err != nil && s.ev.failed[pr.Partner]:
		crit = wrapText(st.Error.Render, "Could not read the evidence: "+clean(s.ev.err.Error()), w, 0)
	default:
		crit = []string{st.Loading.Render("Reading the evidence…")}
	}
	room := h - len(lines) - len(crit)
	expl := wrapText(st.Sentence.Render, clean(full.Explanation), w, 0)
	if n := max(1, room); n < len(expl) {
		last := ansi.Strip(expl[n-1])
		expl = expl[:n]
		expl[n-1] = st.Sentence.Render(ansi.Truncate(last, max(1, w-1), "") + ellipsis)
	}
	lines = append(lines, expl...)
	lines = append(lines, crit...)
	if len(table) > 0 && h-len(lines) >= len(table)+1 {
		lines = append(lines, "")
		lines = append(lines, table...)
	}
	return padLines(lines, min(h, len(lines)))
}

// tiersTable is the partner's production against every tier with
// criteria, for a reviewer weighing an override; shown when there is room.
func (s *reviewScreen) tiersTable(ev *model.Evaluation) []string {
	st, p, w := s.c.styles, s.prog, s.width
	var metrics []model.Metric
	for _, m := range p.Metrics {
		if m.Size {
			continue
		}
		for _, c := range ev.Checks {
			if slices.ContainsFunc(c.Evidence, func(e model.Evidence) bool { return e.Metric == m.Key }) {
				metrics = append(metrics, m)
				break
			}
		}
	}
	var checks []model.TierCheck
	for _, c := range ev.Checks {
		if len(c.Evidence) > 0 {
			checks = append(checks, c)
		}
	}
	if len(metrics) == 0 || len(checks) < 2 {
		return nil
	}
	labelW := 6
	for _, m := range metrics {
		labelW = max(labelW, ansi.StringWidth(m.Label))
	}
	labelW = min(labelW, 22)
	const valW = 10
	colW := make([]int, len(checks))
	total := 2 + labelW + 1 + valW
	for i, c := range checks {
		colW[i] = max(12, ansi.StringWidth(p.TierName(c.Tier))+5)
		total += 1 + colW[i]
	}
	if total > w {
		return nil
	}
	value := func(m model.Metric, v float64, width int) string {
		if t := model.FormatValue(m.Unit, v); ansi.StringWidth(t) <= width {
			return t
		}
		return model.FormatShort(m.Unit, v)
	}
	head := "  " + fit("Metric", labelW) + " " + fitRight("Value", valW)
	for i, c := range checks {
		head += " " + fitRight(p.TierName(c.Tier)+" min", colW[i])
	}
	out := []string{
		st.Heading.Render("Against every tier") + st.Muted.Render(clip(" · earns "+p.TierName(ev.Earned)+" · ✓ met, ✗ missed, · not needed", max(0, w-18))),
		st.ColumnHeader.Render(clip(head, w)),
	}
	for _, m := range metrics {
		line := "  " + st.Sentence.Render(fit(m.Label, labelW)) + " " + st.Sentence.Render(fitRight(value(m, ev.Values[m.Key], valW), valW))
		for i, c := range checks {
			j := slices.IndexFunc(c.Evidence, func(e model.Evidence) bool { return e.Metric == m.Key })
			if j < 0 {
				line += " " + st.Muted.Render(fitRight("—", colW[i]))
				continue
			}
			e := c.Evidence[j]
			anyMet := slices.ContainsFunc(c.Evidence, func(e model.Evidence) bool { return e.Any && e.Met })
			mark, style := " ✗", st.Missed.Render
			switch {
			case e.Met:
				mark, style = " ✓", st.Met.Render
			case e.Any && anyMet:
				mark, style = " ·", st.Muted.Render
			}
			line += " " + style(fitRight(value(m, e.Min, colW[i]-2)+mark, colW[i]))
		}
		out = append(out, clip(line, w))
	}
	return out
}

// decisionLines say where the proposal stands and what the keys do.
func (s *reviewScreen) decisionLines(pr model.Proposal) []string {
	st, p, w := s.c.styles, s.prog, s.width
	r := s.cur.r
	open := r.Status == model.ReviewOpen
	d, ok := r.Decisions[pr.Partner]
	when := func(d model.Decision) string {
		var out string
		if d.By != "" {
			out += " by " + clean(d.By)
		}
		if !d.At.IsZero() {
			out += ", " + d.At.Format("2006-01-02 15:04")
		}
		return out
	}
	switch {
	case ok && d.Kind == model.Overridden:
		line := st.Overridden.Render("✎ Overridden to " + p.TierName(d.Tier) + when(d))
		if r.Upward(p, pr) {
			line += st.Upward.Render(" ↑ upward: above what it earns (" + p.TierName(pr.Earned) + ")")
		}
		out := []string{clip(line, w)}
		out = append(out, wrapText(st.Sentence.Render, "Reason: “"+clean(d.Reason)+"”", w, 2)...)
		if open {
			out = append(out, st.Muted.Render(clip("  u undoes it · o changes it · a accepts the proposal instead", w)))
		}
		return out
	case ok:
		line := "✓ Accepted: " + s.moveText(pr) + when(d)
		if open {
			return []string{st.Accepted.Render(clip(line, w-14)) + st.Muted.Render(" · u undoes it")}
		}
		return []string{st.Accepted.Render(clip(line, w))}
	case pr.Kind.IsMove() && open:
		return []string{st.Pending.Render(clip("• Pending: a accepts the "+string(pr.Kind)+" to "+p.TierName(pr.To)+", o overrides it", w))}
	case pr.Kind.IsMove():
		return []string{st.Pending.Render("• No decision")}
	case open:
		return []string{st.Muted.Render(clip("Held at "+p.TierName(pr.From)+": counts as accepted unless o overrides it", w))}
	}
	return []string{st.Muted.Render(clip("Held at "+p.TierName(pr.From), w))}
}

// criteria is the table of the tier that matters: the target tier for a
// promotion, the current one otherwise; for the entry tier, which has no
// criteria, the next tier up.
func (s *reviewScreen) criteria(pr model.Proposal, ev *model.Evaluation) []string {
	st, p, w := s.c.styles, s.prog, s.width
	tier, why := pr.From, "current tier"
	if pr.Kind == model.Promote {
		tier, why = pr.To, "target tier"
	}
	check, ok := ev.Check(tier)
	if !ok || len(check.Evidence) == 0 {
		if i := p.TierIndex(tier); i >= 0 && i+1 < len(p.Tiers) {
			if next, ok2 := ev.Check(p.Tiers[i+1].Key); ok2 {
				why = "next tier: " + p.TierName(tier) + " has none"
				check, ok = next, true
			}
		}
	}
	if !ok || len(check.Evidence) == 0 {
		return nil
	}
	anyMet := false
	for _, e := range check.Evidence {
		anyMet = anyMet || (e.Any && e.Met)
	}
	type cells struct{ label, value, min, status string }
	rows := make([]cells, len(check.Evidence))
	labelW, valW, minW := 6, 1, 1
	starred := false
	for i, e := range check.Evidence {
		m, _ := p.Metric(e.Metric)
		c := cells{label: m.Label, value: model.FormatValue(m.Unit, e.Value), min: model.FormatValue(m.Unit, e.Min)}
		if m.Label == "" {
			c.label = e.Metric
		}
		if e.Any {
			c.label += " *"
			starred = true
		}
		switch {
		case e.Met:
			c.status = "met"
		case e.Any && anyMet:
			c.status = "not needed"
		default:
			c.status = "needs " + model.FormatValue(m.Unit, e.Gap) + " more"
		}
		labelW = max(labelW, ansi.StringWidth(c.label))
		valW = max(valW, ansi.StringWidth(c.value))
		minW = max(minW, ansi.StringWidth(c.min))
		rows[i] = c
	}
	labelW = min(labelW, 22)
	head := p.TierName(check.Tier) + " criteria (" + why + "): value against the minimum"
	out := []string{st.Heading.Render(clip(head, w))}
	for i, c := range rows {
		e := check.Evidence[i]
		mark, style := "✗", st.Missed.Render
		switch {
		case e.Met:
			mark, style = "✓", st.Met.Render
		case e.Any && anyMet:
			mark, style = "·", st.Muted.Render
		}
		line := "  " + style(mark) + " " + st.Sentence.Render(fit(c.label, labelW)) + " " +
			st.Sentence.Render(fitRight(c.value, valW)) + st.Muted.Render(" of ") +
			st.Sentence.Render(fitRight(c.min, minW)) + "  " + style(c.status)
		out = append(out, clip(line, w))
	}
	if starred {
		out = append(out, st.Muted.Render(clip("  * one of the starred criteria is enough", w)))
	}
	return out
}

// countsView is the finalize confirmation (confirm) or the summary: the
// counts and the tier distribution before and after, in a box.
func (s *reviewScreen) countsView(confirm bool) []string {
	if s.cur == nil {
		return nil
	}
	st, p, r, sum := s.c.styles, s.prog, s.cur.r, s.cur.sum
	bw := min(s.width, 68)
	inner := bw - 4

	var title string
	var body []string
	switch {
	case confirm:
		title = "Finalize the " + r.Period.String() + " review?"
	case r.Status == model.ReviewFinalized:
		title = "The " + r.Period.String() + " review is finalized"
		by := "finalized"
		if !r.FinalizedAt.IsZero() {
			by += " " + r.FinalizedAt.Format("2006-01-02 15:04")
		}
		if r.FinalizedBy != "" {
			by += " by " + clean(r.FinalizedBy)
		}
		body = append(body, st.Muted.Render(by), "")
	default:
		title = "The " + r.Period.String() + " review so far"
		body = append(body, st.Muted.Render(fmt.Sprintf("open: %d of %s decided; nothing is applied until F", s.cur.decided, plural(s.cur.total, "move"))), "")
	}

	pair := func(l1 string, v1 int, l2 string, v2 int, s2 func(...string) string) string {
		half := inner / 2
		left := fit(fit(l1, 18)+fitRight(strconv.Itoa(v1), 4), half)
		right := fit(l2, 18) + s2(fitRight(strconv.Itoa(v2), 4))
		return st.Sentence.Render(left) + st.Sentence.Render(right)
	}
	undStyle := st.Sentence.Render
	if sum.Undecided > 0 {
		undStyle = st.Error.Render
	}
	upStyle := st.Sentence.Render
	if sum.OverridesUp > 0 {
		upStyle = st.Upward.Render
	}
	body = append(body,
		pair("Promotions", sum.Promotions, "Overrides up", sum.OverridesUp, upStyle),
		pair("Demotions", sum.Demotions, "Overrides down", sum.OverridesDown, st.Sentence.Render),
		pair("Grace holds", sum.Kinds[model.Grace], "Undecided", sum.Undecided, undStyle),
		"",
		st.ColumnHeader.Render(fit("Tier", 18)+fitRight("Before", 8)+fitRight("After", 8)+fitRight("", 6)),
	)
	tierRow := func(name string, before, after int) string {
		line := st.Sentence.Render(fit(name, 18) + fitRight(strconv.Itoa(before), 8) + fitRight(strconv.Itoa(after), 8))
		switch d := after - before; {
		case d > 0:
			line += st.Up.Render(fitRight("+"+strconv.Itoa(d), 6))
		case d < 0:
			line += st.Down.Render(fitRight("−"+strconv.Itoa(-d), 6))
		}
		return line
	}
	known := map[string]bool{}
	for i := len(p.Tiers) - 1; i >= 0; i-- {
		t := p.Tiers[i]
		known[t.Key] = true
		body = append(body, tierRow(t.Name, sum.Before[t.Key], sum.After[t.Key]))
	}
	var unknown []string // tiers the program no longer has
	for k := range sum.Before {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		name := "(no tier)"
		if k != "" {
			name = clean(k)
		}
		body = append(body, tierRow(name, sum.Before[k], sum.After[k]))
	}
	body = append(body, "")
	switch {
	case confirm:
		body = append(body, wrapText(st.Sentence.Render, "Every tier change is written at once, with its tier-since date "+
			"and a history entry (the evidence, or the override's reason). The review becomes read-only.", inner, 0)...)
		body = append(body, "", st.Key.Render("y")+st.Muted.Render("/")+st.Key.Render("enter")+st.Muted.Render(" finalize · ")+
			st.Key.Render("n")+st.Muted.Render("/")+st.Key.Render("esc")+st.Muted.Render(" cancel"))
	case r.Status == model.ReviewFinalized:
		body = append(body, st.Muted.Render("enter or esc browses the decisions · p lists the periods"))
	default:
		body = append(body, st.Muted.Render("esc goes back to the proposals · F finalizes"))
	}

	framed := box(st, title, body, bw)
	pad := strings.Repeat(" ", max(0, (s.width-bw)/2))
	lines := []string{""}
	if len(framed)+2 > s.height {
		lines = nil
	}
	for _, l := range framed {
		lines = append(lines, pad+l)
	}
	return lines
}

// discardView asks before an open review and its decisions are dropped.
func (s *reviewScreen) discardView() []string {
	if s.cur == nil {
		return nil
	}
	st, r := s.c.styles, s.cur.r
	lines := []string{st.Title.Render("Discard the " + r.Period.String() + " review?"), ""}
	text := fmt.Sprintf("Its %s and every decision made so far (%d) are deleted. Nothing was applied to any partner, "+
		"so no tier changes. Start the review again from the period list to evaluate the current data.",
		plural(len(r.Proposals), "proposal"), len(r.Decisions))
	lines = append(lines, wrapText(st.Muted.Render, text, s.width, 0)...)
	return append(lines, "", st.Muted.Render("y/enter discard · n/esc keep it"))
}
