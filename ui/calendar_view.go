package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/model"
)

// driftShare is how far a tier's actual share may stray from its planned
// share, in share points, before the screen marks it.
const driftShare = 0.10

// build draws the report at the current width, once per result and per
// resize. The unmatched rows are left to View: they carry the cursor.
func (s *calendarScreen) build() {
	st, w := s.c.styles, max(20, s.width)
	var lines []string
	s.unmatchedAt = -1
	r := s.shown()
	switch {
	case s.src == nil:
		lines = wrapText(st.Empty.Render, "No calendar store: the Calendar tab reads the meetings `partnertiers import calendar FILE` stored.", w, 2)
	case s.err != nil:
		lines = wrapText(st.Error.Render, "Could not read the calendar: "+clean(s.err.Error()), w, 0)
	case r == nil:
		lines = []string{st.Loading.Render("Reading the calendar for " + s.week.String() + "…")}
	default:
		lines = s.report(r, w)
	}
	s.lines = lines
	if n := len(s.unmatched()); n > 0 {
		s.cursor = min(s.cursor, n-1)
	} else {
		s.cursor = 0
	}
	s.scroll(0)
}

// report is the week's lines: the score, the tiers, the drift, the
// managers and the unmatched meetings (placeholders, drawn by View).
func (s *calendarScreen) report(r *calendarWeek, w int) []string {
	st, a, p := s.c.styles, r.align, s.prog
	var lines []string

	// The score.
	if a.HasHours {
		score := st.Accepted
		note := ""
		if a.Score < p.MinAlignment {
			score, note = st.Upward, fmt.Sprintf(" below the %.0f minimum", p.MinAlignment)
		}
		text := fmt.Sprintf("%.0f of 100", a.Score)
		bw := min(20, max(0, w-ansi.StringWidth("Alignment "+text+note)-2))
		line := st.Title.Render("Alignment ") + score.Render(text)
		if bw >= 5 {
			line += " " + shareBar(st.BarFull.Render, st.BarEmpty.Render, a.Score/100, bw)
		}
		lines = append(lines, line+st.Upward.Render(note))
		why := fmt.Sprintf("%s of partner time in %s · 100 is time shared as the tiers plan",
			hoursText(a.Total), plural(r.meetings, "meeting"))
		lines = append(lines, wrapText(st.Muted.Render, why, w, 0)...)
	} else {
		lines = append(lines, st.Title.Render("No partner time on the calendar in "+s.week.String()))
		why := fmt.Sprintf("%s, none with a partner.", plural(r.meetings, "meeting"))
		if r.meetings == 0 {
			why = "No meetings stored for " + s.week.String() + ": partnertiers import calendar FILE"
		}
		lines = append(lines, wrapText(st.Muted.Render, why, w, 0)...)
	}

	lines = append(lines, "")
	lines = append(lines, s.tierTable(a, w)...)

	// With no meeting stored there is nothing to call over or under.
	if r.meetings > 0 {
		lines = append(lines, s.drift(a, w)...)
	}

	if len(a.Managers) > 0 {
		lines = append(lines, "")
		lines = append(lines, s.capacity(a.Managers, w)...)
	}

	if r.meetings == 0 {
		return lines
	}
	lines = append(lines, "")
	um := r.hours.Unmatched
	hint := "meetings with someone outside the team"
	if len(um) > 0 {
		hint = plural(len(um), "meeting") + " · j/k select · a assigns one to a partner"
	}
	lines = append(lines, heading(st, "No partner matched", hint, w))
	if len(um) == 0 {
		lines = append(lines, st.Empty.Render("  Every meeting matched a partner or was internal."))
		return lines
	}
	s.unmatchedAt = len(lines)
	s.umSumW, s.umDomW = 0, 0
	for _, u := range um {
		s.umSumW = max(s.umSumW, ansi.StringWidth(clean(u.Meeting.Summary)))
		s.umDomW = max(s.umDomW, ansi.StringWidth(meetingDomain(u.Meeting, s.cfg.Internal)))
		lines = append(lines, "") // drawn by View
	}
	return lines
}

// drift is the over- and under-served partners.
func (s *calendarScreen) drift(a model.Alignment, w int) []string {
	st, p := s.c.styles, s.prog
	lines := []string{""}
	lines = append(lines, heading(st, "Over-served", "more than twice their allocation", w))
	if len(a.Over) == 0 {
		lines = append(lines, st.Empty.Render("  No partner took more than twice its hours."))
	}
	for _, ph := range a.Over {
		lines = append(lines, s.partnerLine(ph, st.Upward.Render(fitRight("+"+hoursCell(ph.Hours-ph.Allocated), 7)), w))
	}

	lines = append(lines, "")
	top := p.TopTier()
	lines = append(lines, heading(st, "Under-served", top.Name+" partners under half their allocation", w))
	if len(a.Under) == 0 {
		lines = append(lines, st.Empty.Render(clip("  Every "+top.Name+" partner had at least half its hours.", w)))
	}
	for _, ph := range a.Under {
		lines = append(lines, s.partnerLine(ph, st.Missed.Render(fitRight("−"+hoursCell(ph.Allocated-ph.Hours), 7)), w))
	}

	return lines
}

// heading is a section's title with what it lists.
func heading(st *Styles, title, what string, w int) string {
	return clip(st.Heading.Render(title)+st.Muted.Render(" · "+what), w)
}

// tierTable is the tiers, top first: partners, hours, and the planned and
// actual shares as bars.
func (s *calendarScreen) tierTable(a model.Alignment, w int) []string {
	st, p := s.c.styles, s.prog
	nameW := 10
	for _, t := range a.Tiers {
		nameW = max(nameW, min(16, ansi.StringWidth(clean(p.TierName(t.Tier)))+1))
	}
	fixed := 2 + nameW + 8 + 11 + 9 + 3 + 3
	bw := min(30, max(4, (w-fixed)/2-5))
	shareW := bw + 5
	head := "  " + fit("Tier", nameW) + fitRight("Partners", 8) + fitRight("Allocated", 11) + fitRight("Actual", 9) +
		"   " + fit("Planned share", shareW) + "   " + fit("Actual share", shareW)
	lines := []string{st.ColumnHeader.Render(clip(strings.TrimRight(head, " "), w))}
	var partners int
	var alloc, actual float64
	for _, t := range a.Tiers {
		partners += t.Partners
		alloc += t.Allocated
		actual += t.Actual
		pct := st.Cell
		if math.Abs(t.ActualShare-t.PlannedShare) >= driftShare && a.HasHours {
			pct = st.Upward
		}
		line := "  " + st.Name.Render(fit(clean(p.TierName(t.Tier)), nameW)) +
			st.Cell.Render(fitRight(thousands(t.Partners), 8)+fitRight(hoursCell(t.Allocated), 11)+fitRight(hoursCell(t.Actual), 9)) +
			"   " + shareBar(st.BarPlanned.Render, st.BarEmpty.Render, t.PlannedShare, bw) + st.Muted.Render(fitRight(percent(t.PlannedShare), 5)) +
			"   " + shareBar(st.BarFull.Render, st.BarEmpty.Render, t.ActualShare, bw) + pct.Render(fitRight(percent(t.ActualShare), 5))
		lines = append(lines, clip(line, w))
	}
	total := "  " + fit("All tiers", nameW) + fitRight(thousands(partners), 8) + fitRight(hoursCell(alloc), 11) + fitRight(hoursCell(actual), 9)
	return append(lines, st.Muted.Render(clip(total, w)))
}

// partnerLine is an over- or under-served partner: name, tier, hours
// against the allocation, and the difference.
func (s *calendarScreen) partnerLine(ph model.PartnerHours, diff string, w int) string {
	st, p := s.c.styles, s.prog
	tierW := 12
	nameW := min(30, max(8, w-2-1-tierW-1-15-1-7))
	hours := fitRight(hoursCell(ph.Hours), 6) + " of " + fit(allocCell(ph.Allocated), 5)
	line := "  " + st.Name.Render(fit(clean(ph.Name), nameW)) + " " + st.Muted.Render(fit(clean(p.TierName(ph.Tier)), tierW)) +
		" " + st.Cell.Render(hours) + " " + diff
	if room := w - ansi.StringWidth(line) - 2; room >= 8 && ph.Manager != "" {
		if m := shortPerson(clean(ph.Manager), room); ansi.StringWidth(m) <= room {
			line += st.Muted.Render("  " + m)
		}
	}
	return clip(line, w)
}

// capacity is the team: each manager's promised hours against capacity.
func (s *calendarScreen) capacity(ms []model.ManagerLoad, w int) []string {
	st := s.c.styles
	nameW := 20
	fixed := 2 + nameW + 10 + 10 + 13 + 3
	bw := min(20, w-fixed-6)
	head := "  " + fit("Manager", nameW) + fitRight("Promised", 10) + fitRight("Capacity", 10) + fitRight("With them", 13)
	if bw >= 4 {
		head += "   Promised of capacity"
	}
	lines := []string{
		heading(st, "Team capacity", "promised hours against capacity; with them: this calendar with their partners", w),
		st.ColumnHeader.Render(clip(head, w)),
	}
	for _, m := range ms {
		promised := st.Cell
		if m.Promised > m.Capacity {
			promised = st.Error
		}
		line := "  " + st.Name.Render(fit(shortPerson(clean(m.Name), nameW), nameW)) + promised.Render(fitRight(hoursCell(m.Promised), 10)) +
			st.Cell.Render(fitRight(hoursCell(m.Capacity), 10)+fitRight(hoursCell(m.Actual), 13))
		if bw >= 4 {
			share := 0.0
			if m.Capacity > 0 {
				share = m.Promised / m.Capacity
			}
			line += "   " + shareBar(st.BarPlanned.Render, st.BarEmpty.Render, min(1, share), bw) + promised.Render(fitRight(percent(share), 5))
			if m.Promised > m.Capacity {
				line += st.Error.Render(" over")
			}
		}
		lines = append(lines, clip(line, w))
	}
	return lines
}

// unmatchedLine is one meeting no partner matched: when, how long, the
// summary and the domain assigning it would teach, in columns.
func (s *calendarScreen) unmatchedLine(u model.Unmatched, selected bool, w int) string {
	st := s.c.styles
	start := u.Meeting.Start.In(s.zone)
	lead := fit(start.Format("Mon 2 Jan"), 11) + fit(start.Format("15:04"), 6) + fitRight(hoursCell(u.Hours), 5) + "  "
	domW := 0
	if s.umDomW > 0 {
		domW = min(s.umDomW, 28) + 2
	}
	sumW := max(8, min(s.umSumW, w-2-ansi.StringWidth(lead)-domW))
	summary := fit(clean(u.Meeting.Summary), sumW)
	dom := ""
	if domW > 0 {
		dom = "  " + fit(meetingDomain(u.Meeting, s.cfg.Internal), domW-2)
	}
	if selected {
		return st.Selected.Render(clip("› "+lead+summary+dom, w))
	}
	return clip("  "+st.Muted.Render(lead)+st.Name.Render(summary)+st.Muted.Render(dom), w)
}

// meetingDomain is the domain assigning the meeting would teach, or "".
func meetingDomain(m model.Meeting, internal []string) string {
	if l, ok := strings.CutPrefix(learnedFrom(m, internal), "the domain "); ok {
		return l
	}
	return ""
}

// View renders exactly height lines: the week selector, then the report
// from the scroll offset, with the partner picker over it when open.
func (s *calendarScreen) View() string {
	st, w := s.c.styles, s.width
	out := []string{s.weekLine()}
	body := s.bodyHeight()
	end := min(len(s.lines), s.offset+body)
	um := s.unmatched()
	for i := s.offset; i < end; i++ {
		if j := i - s.unmatchedAt; s.unmatchedAt >= 0 && j >= 0 && j < len(um) {
			out = append(out, s.unmatchedLine(um[j], j == s.cursor, w))
			continue
		}
		out = append(out, s.lines[i])
	}
	if end < len(s.lines) && len(out) > 1 {
		more := "↓ more below · pgdn"
		if s.unmatchedAt >= 0 && s.unmatchedAt+s.cursor >= end-1 {
			more = "↓ " + plural(len(um), "unmatched meeting") + " below · j selects · a assigns"
		}
		out[len(out)-1] = st.Muted.Render(fitRight(more, w))
	}
	frame := fitBlock(strings.Join(out, "\n"), w, s.height)
	if s.picker == nil {
		return frame
	}
	return overlay(frame, s.picker.view(), s.picker.at, w)
}

// overlay draws box over the frame's lines at the place at gives: the
// rows it covers show the box alone, so no half word peeks out beside it.
func overlay(frame string, box []string, at func() (int, int), w int) string {
	lines := strings.Split(frame, "\n")
	x, y := at()
	for i, b := range box {
		if row := y + i; row >= 0 && row < len(lines) {
			lines[row] = clip(strings.Repeat(" ", x)+b, w)
		}
	}
	return strings.Join(lines, "\n")
}

// weekLine is the selector: the week, its dates and zone, and how long
// ago it was.
func (s *calendarScreen) weekLine() string {
	st, w := s.c.styles, s.width
	left := st.Muted.Render("Week ") + st.Period.Render("‹ "+s.week.String()+" ›") +
		st.Muted.Render(" "+weekDates(s.week, s.zone)+" · "+s.zone.String())
	var ago string
	switch n := weeksBetween(s.week, s.thisWeek()); n {
	case 0:
		ago = "this week, so far"
	case 1:
		ago = "last week"
	default:
		ago = fmt.Sprintf("%d weeks ago", n)
	}
	return spread(left, st.Muted.Render(ago+" · ←/→ week"), w)
}

// weekDates is the Monday to the Sunday: "6–12 Jul 2026".
func weekDates(wk model.Week, zone *time.Location) string {
	a, b := wk.Start(zone), wk.End(zone).AddDate(0, 0, -1)
	switch {
	case a.Year() != b.Year():
		return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
	case a.Month() != b.Month():
		return a.Format("2 Jan") + " – " + b.Format("2 Jan 2006")
	}
	return a.Format("2") + "–" + b.Format("2 Jan 2006")
}

// shareBar draws share (0..1) as w cells, something never as nothing.
func shareBar(full, empty func(...string) string, share float64, w int) string {
	if w <= 0 {
		return ""
	}
	n := int(math.Round(min(1, max(0, share)) * float64(w)))
	if share > 0 && n == 0 {
		n = 1
	}
	return full(strings.Repeat("█", n)) + empty(strings.Repeat("░", w-n))
}

func percent(share float64) string { return fmt.Sprintf("%.0f%%", 100*share) }

// hoursCell is hours in a column: "2.5h".
func hoursCell(h float64) string { return fmt.Sprintf("%.1fh", h) }

// allocCell is an allocation, as short as it reads: "3h", "0.25h".
func allocCell(h float64) string { return model.FormatHours(h) + "h" }

// hoursText is hours in a sentence: "13 h", "2.5 h".
func hoursText(h float64) string { return model.FormatHours(math.Round(h*10)/10) + " h" }
