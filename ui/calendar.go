package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
)

// CalendarSource is what the Calendar tab needs from the store;
// *store.Store satisfies it. Its methods run inside tea.Cmds, never in
// Update.
type CalendarSource interface {
	// Meetings are the stored meetings overlapping [from, to), by start.
	Meetings(from, to time.Time) ([]model.Meeting, error)
	// AssignMeeting remembers that the meeting with key belongs to the
	// partner (as one of its domains or aliases) and says what it learned:
	// "domain denver-it.example".
	AssignMeeting(key, partnerID string, internal []string) (string, error)
}

// calendarScreen is the Calendar tab: a week of the calendar against what
// the tiers allocate. The week is read, counted and aligned in a command;
// the unmatched meetings can be assigned to a partner, which the store
// remembers, and the snapshot and the week are read again.
type calendarScreen struct {
	c    *common
	src  CalendarSource
	cfg  config.Calendar
	zone *time.Location
	prog *model.Program
	now  func() time.Time
	data *dataset

	width, height int

	week model.Week // the week asked for
	seq  int        // numbers every read; older results are dropped
	res  *calendarWeek
	err  error // the last read of week failed

	// The report drawn at the current width, below the week line. The
	// unmatched meetings' rows are drawn in View (they carry the cursor),
	// from line unmatchedAt.
	lines       []string
	unmatchedAt int
	umSumW      int // the widest unmatched summary
	umDomW      int // and domain
	cursor      int // among res.hours.Unmatched
	offset      int

	picker *partnerPicker
}

// calendarWeek is one week read and counted.
type calendarWeek struct {
	week     model.Week
	meetings int
	hours    model.WeekHours
	align    model.Alignment
}

type (
	toCalendar        struct{}
	calendarLoadedMsg struct {
		toCalendar
		seq  int
		week model.Week
		res  *calendarWeek
		err  error
	}
	meetingAssignedMsg struct {
		toCalendar
		name    string // the partner's
		learned string
		err     error
	}
)

func (toCalendar) addressedTo(s screen) bool { _, ok := s.(*calendarScreen); return ok }

func newCalendarScreen(c *common, opts Options) *calendarScreen {
	zone := opts.CalendarConfig.Zone
	if zone == nil {
		zone = time.UTC
	}
	s := &calendarScreen{c: c, src: opts.Calendar, cfg: opts.CalendarConfig, zone: zone, prog: opts.Program, now: opts.Now}
	s.week = model.LastWeek(s.now(), zone)
	return s
}

func (s *calendarScreen) Title() string { return "Calendar" }

func (s *calendarScreen) SetData(d *dataset) { s.data = d }

func (s *calendarScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	if s.picker != nil {
		s.picker.setSize(w, h)
	}
	s.build()
}

func (s *calendarScreen) Capturing() bool { return s.picker != nil }

func (s *calendarScreen) Cursor() *tea.Cursor {
	if s.picker == nil {
		return nil
	}
	return s.picker.termCursor()
}

// Load reads the week again when the snapshot (re)loads: an assignment
// changed a partner's domains or aliases.
func (s *calendarScreen) Load() tea.Cmd { return s.loadCmd() }

func (s *calendarScreen) LoadFailed() bool { return s.err != nil }

// Enter reads it again when the tab is shown: another terminal may have
// imported a calendar meanwhile.
func (s *calendarScreen) Enter() tea.Cmd { return s.loadCmd() }

// loadCmd reads, counts and aligns s.week.
func (s *calendarScreen) loadCmd() tea.Cmd {
	if s.data == nil || s.src == nil || s.prog == nil {
		return nil
	}
	s.seq++
	seq, src, week, cfg, prog := s.seq, s.src, s.week, s.cfg, s.prog
	var partners []model.Partner
	if s.data.snap != nil {
		partners = s.data.snap.Partners
	}
	return func() tea.Msg {
		wh, meetings, err := store.CountWeek(src, cfg, week, func() ([]model.Partner, error) { return partners, nil })
		if err != nil {
			return calendarLoadedMsg{seq: seq, week: week, err: err}
		}
		res := &calendarWeek{week: week, meetings: meetings, hours: wh, align: model.Align(prog, partners, wh.Hours)}
		return calendarLoadedMsg{seq: seq, week: week, res: res}
	}
}

// assignCmd remembers that the selected meeting belongs to partner.
func (s *calendarScreen) assignCmd(meeting model.Meeting, partner *model.Partner) tea.Cmd {
	src, internal := s.src, s.cfg.Internal
	key, id, name := meeting.Key(), partner.ID, clean(partner.Name)
	return func() tea.Msg {
		learned, err := src.AssignMeeting(key, id, internal)
		return meetingAssignedMsg{name: name, learned: learned, err: err}
	}
}

func (s *calendarScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case calendarLoadedMsg:
		if msg.seq != s.seq {
			return s, nil // a newer read is on its way
		}
		s.err = msg.err
		if msg.err == nil {
			s.res = msg.res
		}
		s.build()
		return s, nil
	case meetingAssignedMsg:
		return s, s.onAssigned(msg)
	case tea.KeyPressMsg:
		if s.picker != nil {
			return s, s.updatePicker(msg)
		}
		return s, s.handleKey(msg)
	case tea.PasteMsg:
		if s.picker != nil {
			return s, s.picker.paste(msg)
		}
	case tea.MouseWheelMsg:
		if s.picker != nil {
			return s, nil
		}
		s.scroll(wheelDelta(msg))
	}
	return s, nil
}

func (s *calendarScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.keys
	switch {
	case key.Matches(msg, k.PrevWeek):
		return s.step(-1)
	case key.Matches(msg, k.NextWeek):
		return s.step(1)
	case key.Matches(msg, k.Down):
		s.moveCursor(1)
	case key.Matches(msg, k.Up):
		s.moveCursor(-1)
	case key.Matches(msg, k.Assign, k.Open):
		return s.openPicker()
	default: // the keys that page the view; up and down move the cursor
		if n, ok := navDelta(k, msg, s.bodyHeight()-1, len(s.lines)); ok {
			s.scroll(n)
		}
	}
	return nil
}

// thisWeek is the week now falls in: the selector goes no further.
func (s *calendarScreen) thisWeek() model.Week { return model.WeekOf(s.now(), s.zone) }

// step moves the selector n weeks and reads the new week.
func (s *calendarScreen) step(n int) tea.Cmd {
	w := s.week.Step(n)
	if this := s.thisWeek(); weeksBetween(w, this) < 0 {
		if s.week == this {
			return s.c.status("This is the current week: the calendar goes no further")
		}
		w = this
	}
	s.week, s.err = w, nil
	s.cursor, s.offset = 0, 0
	s.build()
	return s.loadCmd()
}

// weeksBetween is how many weeks a is before b.
func weeksBetween(a, b model.Week) int {
	return int(math.Round(b.Start(time.UTC).Sub(a.Start(time.UTC)).Hours() / (24 * 7)))
}

// shown is the week on screen: nil while s.week is being read.
func (s *calendarScreen) shown() *calendarWeek {
	if s.res == nil || s.res.week != s.week || s.err != nil {
		return nil
	}
	return s.res
}

func (s *calendarScreen) unmatched() []model.Unmatched {
	if r := s.shown(); r != nil {
		return r.hours.Unmatched
	}
	return nil
}

// moveCursor moves among the unmatched meetings, scrolling so the one
// selected shows; the first press only brings the list into view. With
// no meeting to select, or past the list's top, it scrolls the report.
func (s *calendarScreen) moveCursor(n int) {
	um := s.unmatched()
	if len(um) == 0 {
		s.scroll(n)
		return
	}
	if !s.visible(s.unmatchedAt + s.cursor) {
		s.ensureVisible(s.unmatchedAt + s.cursor)
		return
	}
	if n < 0 && s.cursor == 0 {
		s.scroll(n)
		return
	}
	s.cursor = min(max(s.cursor+n, 0), len(um)-1)
	s.ensureVisible(s.unmatchedAt + s.cursor)
	if s.cursor == 0 {
		s.ensureVisible(s.unmatchedAt - 1) // and the list's heading
	}
}

func (s *calendarScreen) bodyHeight() int { return max(1, s.height-1) }

func (s *calendarScreen) maxOffset() int { return max(0, len(s.lines)-s.bodyHeight()) }

func (s *calendarScreen) scroll(n int) {
	s.offset = min(max(s.offset+n, 0), s.maxOffset())
}

// visible reports whether report line i shows whole: the last line on
// screen says "more below" when there is more.
func (s *calendarScreen) visible(i int) bool {
	end := min(len(s.lines), s.offset+s.bodyHeight())
	last := end - 1
	if end < len(s.lines) {
		last--
	}
	return i >= s.offset && i <= last
}

func (s *calendarScreen) ensureVisible(i int) {
	if i < 0 || i >= len(s.lines) {
		return
	}
	if i < s.offset {
		s.offset = i
	}
	for !s.visible(i) && s.offset < s.maxOffset() {
		s.offset++
	}
}

// openPicker asks which partner the selected meeting belongs to.
func (s *calendarScreen) openPicker() tea.Cmd {
	um := s.unmatched()
	switch {
	case s.src == nil || s.data == nil:
		return nil
	case s.shown() == nil:
		return s.c.status("The week is still being read")
	case len(um) == 0:
		return s.c.status("Every meeting this week matched a partner or was internal: nothing to assign")
	}
	s.ensureVisible(s.unmatchedAt + s.cursor)
	s.picker = newPartnerPicker(s.c, s.data, um[s.cursor], learnedFrom(um[s.cursor].Meeting, s.cfg.Internal), s.zone)
	s.picker.setSize(s.width, s.height)
	return s.picker.focus()
}

func (s *calendarScreen) updatePicker(msg tea.KeyPressMsg) tea.Cmd {
	p := s.picker
	act, cmd := p.update(msg)
	switch act {
	case dialogCancel:
		s.picker = nil
	case dialogSubmit:
		pa := p.selected()
		if pa == nil {
			return cmd
		}
		p.saving, p.err = true, ""
		return tea.Batch(cmd, s.assignCmd(p.meeting.Meeting, pa))
	}
	return cmd
}

// onAssigned closes the picker on success and reads everything again:
// the partner's domains or aliases changed, so the Partners tab and the
// week (reloaded with the snapshot) both see the meeting matched.
func (s *calendarScreen) onAssigned(msg meetingAssignedMsg) tea.Cmd {
	if msg.err != nil {
		text := "Could not assign the meeting: " + msg.err.Error()
		if s.picker != nil {
			s.picker.saving, s.picker.err = false, text
			return nil
		}
		return s.c.errStatus(text)
	}
	s.picker = nil
	return tea.Batch(s.c.status(fmt.Sprintf("Learned %s for %s", clean(msg.learned), msg.name)), reload)
}

// learnedFrom says what assigning the meeting teaches, by the store's
// rule: the first attendee's domain outside the team, else the summary as
// an alias.
func learnedFrom(m model.Meeting, internal []string) string {
	if host := m.ExternalDomain(internal); host != "" {
		return "the domain " + host
	}
	if t := strings.TrimSpace(clean(m.Summary)); t != "" {
		return "the alias " + quote(t)
	}
	return ""
}

func (s *calendarScreen) ShortHelp() []key.Binding {
	k := s.c.keys
	if s.picker != nil {
		return []key.Binding{k.PickChoose, k.PickCancel, k.PickDown, k.PickUp}
	}
	out := []key.Binding{k.PrevWeek, k.NextWeek}
	if len(s.unmatched()) > 0 {
		out = append(out, k.Down, k.Assign)
	} else if len(s.lines) > s.bodyHeight() {
		out = append(out, k.Down, k.PageDown)
	}
	return out
}

func (s *calendarScreen) FullHelp() [][]key.Binding {
	k := s.c.keys
	if s.picker != nil {
		return [][]key.Binding{{k.PickChoose, k.PickCancel}, {k.PickDown, k.PickUp}}
	}
	return [][]key.Binding{
		{k.PrevWeek, k.NextWeek, k.Assign},
		{k.Down, k.Up, k.PageDown, k.PageUp},
		{k.HalfPageDown, k.HalfPageUp, k.Top, k.Bottom},
	}
}
