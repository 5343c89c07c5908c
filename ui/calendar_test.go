package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
)

// fakeCalendar is a CalendarSource in memory over the fixture: a slice of
// meetings, and the partners, so that an assignment changes what the next
// snapshot load returns.
type fakeCalendar struct {
	mu       sync.Mutex
	snap     *store.Snapshot
	meetings []model.Meeting
	reads    int
	assigns  int
	err      error // when set, Meetings fails with it
}

var _ CalendarSource = (*fakeCalendar)(nil)

func newFakeCalendar() *fakeCalendar {
	return &fakeCalendar{snap: fixtureSnapshot(), meetings: fixtureMeetings()}
}

// Load is the snapshot as it stands, for Options.Load.
func (f *fakeCalendar) Load() (*store.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := *f.snap
	s.Partners = slices.Clone(f.snap.Partners)
	for i := range s.Partners {
		s.Partners[i].Domains = slices.Clone(s.Partners[i].Domains)
	}
	return &s, nil
}

func (f *fakeCalendar) Meetings(from, to time.Time) ([]model.Meeting, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.err != nil {
		return nil, f.err
	}
	var out []model.Meeting
	for _, m := range f.meetings {
		if m.Start.Before(to) && m.End.After(from) {
			out = append(out, m)
		}
	}
	return out, nil
}

// AssignMeeting adds the domain of the meeting's first attendee outside
// the team to the partner, as the store does.
func (f *fakeCalendar) AssignMeeting(key, partnerID string, internal []string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.assigns++
	i := slices.IndexFunc(f.meetings, func(m model.Meeting) bool { return m.Key() == key })
	j := slices.IndexFunc(f.snap.Partners, func(p model.Partner) bool { return p.ID == partnerID })
	if i < 0 || j < 0 {
		return "", fmt.Errorf("meeting %q or partner %q: %w", key, partnerID, store.ErrNotFound)
	}
	for _, a := range f.meetings[i].Attendees {
		_, host, _ := strings.Cut(a.Email, "@")
		if !slices.Contains(internal, host) {
			f.snap.Partners[j].Domains = append(f.snap.Partners[j].Domains, host)
			return "domain " + host, nil
		}
	}
	return "", errors.New("no attendee outside the team")
}

var calendarZone = mustZone("America/New_York")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

const (
	owner    = "dana.reyes@acmecloud.example"
	teamMate = "sam.okafor@acmecloud.example"
)

// fixtureMeetings are two weeks of the calendar. Last week (2026-W28 at
// fixtureNow): Gold gets 3.5 h, Silver 1 h, Registered 5 h, Cobalt
// Consulting (registered) alone 4 h; two meetings match no partner.
// The week before: Northwind 3 h and Kestrel 1 h.
func fixtureMeetings() []model.Meeting {
	at := func(day, hm string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hm, calendarZone)
		if err != nil {
			panic(err)
		}
		return t
	}
	n := 0
	m := func(day, from, to, summary string, emails ...string) model.Meeting {
		n++
		mt := model.Meeting{UID: fmt.Sprintf("m%02d@acmecloud.example", n), Start: at(day, from), End: at(day, to), Summary: summary, Status: "CONFIRMED"}
		for _, e := range append([]string{owner}, emails...) {
			mt.Attendees = append(mt.Attendees, model.Attendee{Email: e, PartStat: "ACCEPTED"})
		}
		return mt
	}
	declined := m("2026-07-08", "16:00", "17:00", "Fjord roadmap", "li@fjordnet.example")
	declined.Attendees[0].PartStat = "DECLINED"
	out := []model.Meeting{
		// 2026-W27.
		m("2026-06-30", "10:00", "13:00", "Northwind exec sync", "ceo@northwind.example"),
		m("2026-07-01", "10:00", "11:00", "Kestrel weekly", "sam@kestrel.example"),
		// 2026-W28.
		m("2026-07-06", "10:00", "11:00", "Kestrel weekly", "sam@kestrel.example"),
		m("2026-07-06", "14:00", "16:00", "Cobalt: deal desk questions", "max@cobalt.example"),
		m("2026-07-07", "10:00", "11:00", "Apex pipeline review", "jo@apexsi.example"),
		m("2026-07-07", "13:00", "15:00", "Evergreen QBR", "kim@evergreen.example"),
		m("2026-07-08", "09:00", "09:30", "Granite Ridge check-in", "al@graniteridge.example"),
		declined,
		m("2026-07-09", "10:00", "12:00", "Cobalt escalation", "max@cobalt.example"),
		m("2026-07-09", "17:00", "17:45", "Intro call: possible reseller in Denver", "pat@denver-it.example"),
		m("2026-07-10", "11:00", "12:00", "Brightpath QBR prep", teamMate),
		m("2026-07-10", "15:00", "15:30", "Coffee with Orion Data", "bob@oriondata.example"),
	}
	for _, day := range []string{"2026-07-06", "2026-07-07", "2026-07-08", "2026-07-09", "2026-07-10"} {
		out = append(out, m(day, "08:30", "08:45", "Partner team standup", teamMate))
	}
	return out
}

func calendarOptions(f *fakeCalendar, noColor bool) Options {
	return Options{
		Program:   fixtureProgram(),
		Load:      f.Load,
		StorePath: fixtureStorePath,
		Now:       func() time.Time { return fixtureNow },
		NoColor:   noColor,
		Calendar:  f,
		CalendarConfig: config.Calendar{
			Zone: calendarZone, Owner: owner, Internal: []string{"acmecloud.example"},
		},
	}
}

// newCalendarApp is the app loaded on f, at a size, on the Calendar tab.
func newCalendarApp(t testing.TB, f *fakeCalendar, w, h int, noColor bool) *App {
	t.Helper()
	return loadedApp(t, calendarOptions(f, noColor), w, h, "4")
}

func calendarOf(a *App) *calendarScreen { return screenOf[*calendarScreen](a) }

// unmatchedSummaries are the summaries of the meetings the shown week
// did not match.
func unmatchedSummaries(c *calendarScreen) []string {
	var out []string
	for _, u := range c.unmatched() {
		out = append(out, u.Meeting.Summary)
	}
	return out
}

func TestCalendarDefaultWeek(t *testing.T) {
	f := newFakeCalendar()
	a := newCalendarApp(t, f, 120, 40, true)
	c := calendarOf(a)
	if a.active != 3 || c == nil {
		t.Fatalf("4 shows tab %d, want the Calendar (3)", a.active)
	}
	if c.week != model.MustWeek("2026-W28") {
		t.Errorf("default week %s, want last week 2026-W28", c.week)
	}
	text := screenText(a)
	for _, want := range []string{
		"4 Calendar", "‹ 2026-W28 › 6–12 Jul 2026 · America/New_York", "last week",
		"Alignment 53 of 100", "below the 70 minimum", "9.5 h of partner time in 15 meetings",
		"Planned share", "Actual share",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("screen lacks %q:\n%s", want, text)
		}
	}
	// The tier rows, top first: partners, allocated, actual, planned and
	// actual share.
	rows := map[string][]string{
		"Gold":       {"4", "12.0h", "3.5h", "71%", "37%"},
		"Silver":     {"4", "4.0h", "1.0h", "24%", "11%"},
		"Registered": {"4", "1.0h", "5.0h", "6%", "53%"},
	}
	lastRow := -1
	for _, tier := range []string{"Gold", "Silver", "Registered"} {
		i := slices.IndexFunc(strings.Split(text, "\n"), func(l string) bool { return strings.HasPrefix(l, "  "+tier+" ") })
		if i < 0 {
			t.Errorf("no row for %s:\n%s", tier, text)
			continue
		}
		if i < lastRow {
			t.Errorf("%s is above the tier before it", tier)
		}
		lastRow = i
		fields := strings.Fields(strings.Map(func(r rune) rune {
			if r == '█' || r == '░' {
				return ' '
			}
			return r
		}, strings.Split(text, "\n")[i]))
		if got := fields[1:]; !slices.Equal(got, rows[tier]) {
			t.Errorf("%s row %q, want %q", tier, got, rows[tier])
		}
	}
	if got := unmatchedSummaries(c); !slices.Equal(got, []string{"Intro call: possible reseller in Denver", "Coffee with Orion Data"}) {
		t.Errorf("unmatched %q", got)
	}
	if !strings.Contains(text, "Thu 9 Jul  17:00  0.8h  Intro call: possible reseller in Denver  denver-it.example") {
		t.Errorf("unmatched row missing:\n%s", text)
	}
}

func TestCalendarOverUnder(t *testing.T) {
	a := newCalendarApp(t, newFakeCalendar(), 120, 40, true)
	c := calendarOf(a)
	al := c.shown().align
	names := func(ps []model.PartnerHours) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	if got := names(al.Over); !slices.Equal(got, []string{"Cobalt Consulting"}) {
		t.Errorf("over-served %q", got)
	}
	if got := names(al.Under); !slices.Equal(got, []string{"Northwind Global", "Granite Ridge Solutions", "Kestrel Partners"}) {
		t.Errorf("under-served %q", got)
	}
	lines := strings.Split(screenText(a), "\n")
	section := func(title string) []string {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, title+" · ") })
		if i < 0 {
			t.Fatalf("no %s section", title)
		}
		var out []string
		for _, l := range lines[i+1:] {
			if strings.TrimSpace(l) == "" {
				break
			}
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
		return out
	}
	over := section("Over-served")
	if len(over) != 1 || !strings.HasPrefix(over[0], "Cobalt Consulting Registered 4.0h of 0.25h +3.8h") {
		t.Errorf("over-served lines %q", over)
	}
	under := section("Under-served")
	want := []string{"Northwind Global Gold 0.0h of 3h −3.0h", "Granite Ridge Solutions Gold 0.5h of 3h −2.5h", "Kestrel Partners Gold 1.0h of 3h −2.0h"}
	if len(under) != len(want) {
		t.Fatalf("under-served lines %q", under)
	}
	for i := range want {
		if !strings.HasPrefix(under[i], want[i]) {
			t.Errorf("under-served line %d %q, want %q…", i, under[i], want[i])
		}
	}
	capacity := section("Team capacity")
	if len(capacity) != 4 || !strings.HasPrefix(capacity[1], "Dana Reyes 7.2h 30.0h 2.0h") {
		t.Errorf("team capacity %q", capacity)
	}
}

func TestCalendarWeekSteps(t *testing.T) {
	for _, tc := range []struct {
		keys   []string
		week   string
		ago    string
		status string
	}{
		{nil, "2026-W28", "last week", ""},
		{[]string{"["}, "2026-W27", "2 weeks ago", ""},
		{[]string{"left"}, "2026-W27", "2 weeks ago", ""},
		{[]string{"[", "[", "]"}, "2026-W27", "2 weeks ago", ""},
		{[]string{"]"}, "2026-W29", "this week, so far", ""},
		{[]string{"right", "right"}, "2026-W29", "this week, so far", "This is the current week"},
		{[]string{"[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "[", "["}, "2025-W51", "30 weeks ago", ""},
	} {
		t.Run(strings.Join(tc.keys, ""), func(t *testing.T) {
			f := newFakeCalendar()
			a := newCalendarApp(t, f, 80, 24, true)
			press(t, a, tc.keys...)
			c := calendarOf(a)
			if c.week.String() != tc.week || c.shown() == nil || c.shown().week.String() != tc.week {
				t.Fatalf("week %s, want %s", c.week, tc.week)
			}
			text := screenText(a)
			if !strings.Contains(text, "‹ "+tc.week+" ›") || !strings.Contains(text, tc.ago) {
				t.Errorf("week line does not say %s, %s:\n%s", tc.week, tc.ago, text)
			}
			if tc.status != "" && !strings.Contains(text, tc.status) {
				t.Errorf("no status %q:\n%s", tc.status, text)
			}
			checkFrame(t, a.View().Content, 80, 24)
		})
	}
	// The week before holds Northwind's sync and nothing unmatched.
	a := newCalendarApp(t, newFakeCalendar(), 120, 40, true)
	press(t, a, "[")
	text := screenText(a)
	if !strings.Contains(text, "4 h of partner time in 2 meetings") || len(calendarOf(a).unmatched()) != 0 ||
		!strings.Contains(text, "Every meeting matched a partner or was internal.") {
		t.Errorf("2026-W27:\n%s", text)
	}
	// A week with no meetings at all says so.
	press(t, a, "[")
	if text := screenText(a); !strings.Contains(text, "No partner time on the calendar in 2026-W26") || !strings.Contains(text, "No meetings stored for 2026-W26") ||
		strings.Contains(text, "Under-served") || !strings.Contains(text, "Team capacity") {
		t.Errorf("an empty week:\n%s", text)
	}
}

// TestCalendarStale steps twice and delivers the answers in the wrong
// order: the older one is dropped.
func TestCalendarStale(t *testing.T) {
	a := newCalendarApp(t, newFakeCalendar(), 80, 24, true)
	c := calendarOf(a)
	_, first := a.Update(keyMsg("["))
	_, second := a.Update(keyMsg("["))
	if c.shown() != nil || !strings.Contains(screenText(a), "Reading the calendar for 2026-W26") {
		t.Errorf("while reading:\n%s", screenText(a))
	}
	newer, older := second(), first()
	send(t, a, newer)
	send(t, a, older)
	if c.week.String() != "2026-W26" || c.shown() == nil || c.shown().week.String() != "2026-W26" {
		t.Errorf("shows %v for %s after a stale answer", c.res.week, c.week)
	}
	// And a stale answer for the same week never replaces a newer one.
	_, cmd := a.Update(keyMsg("]"))
	stale := cmd()
	send(t, a, keyMsg("["))
	send(t, a, stale)
	if c.shown() == nil || c.shown().week.String() != "2026-W26" {
		t.Errorf("a stale W25 answer replaced W26")
	}
}

func TestCalendarReadError(t *testing.T) {
	f := newFakeCalendar()
	f.err = errors.New("bbolt: timeout")
	a := newCalendarApp(t, f, 80, 24, true)
	if text := screenText(a); !strings.Contains(text, "Could not read the calendar: bbolt: timeout") {
		t.Errorf("a failed read:\n%s", text)
	}
	press(t, a, "a")
	if calendarOf(a).picker != nil {
		t.Error("a opened the picker with no week shown")
	}
	// No calendar at all: the tab says so.
	opts := calendarOptions(f, true)
	opts.Calendar = nil
	b := New(opts)
	send(t, b, windowSize(80, 24))
	run(t, b, b.Init())
	press(t, b, "4")
	if text := screenText(b); !strings.Contains(text, "No calendar store") {
		t.Errorf("no calendar:\n%s", text)
	}
}

// TestCalendarAssign assigns the Denver call to Harbor Point IT: the store
// learns the domain, the status says so, the snapshot and the week are
// read again, and the meeting counts for the partner.
func TestCalendarAssign(t *testing.T) {
	f := newFakeCalendar()
	a := newCalendarApp(t, f, 80, 24, true)
	c := calendarOf(a)
	press(t, a, "j") // brings the list into view: the first is selected
	if c.cursor != 0 || !c.visible(c.unmatchedAt) {
		t.Fatalf("j: cursor %d, list shown %v", c.cursor, c.visible(c.unmatchedAt))
	}
	if !strings.Contains(screenText(a), "› Thu 9 Jul  17:00  0.8h  Intro call") {
		t.Errorf("the Denver call is not selected:\n%s", screenText(a))
	}
	press(t, a, "a")
	if c.picker == nil || !a.screens[a.active].Capturing() {
		t.Fatal("a did not open the picker")
	}
	text := screenText(a)
	for _, want := range []string{"Assign to a partner", "Intro call: possible reseller in Denver", "Remembers the domain denver-it.example", "12 of 12"} {
		if !strings.Contains(text, want) {
			t.Errorf("picker lacks %q:\n%s", want, text)
		}
	}
	checkFrame(t, a.View().Content, 80, 24)
	if v := a.View(); v.Cursor == nil {
		t.Error("no terminal cursor in the picker's filter")
	}
	typeText(t, a, "harb")
	if got := c.picker.selected(); got == nil || got.ID != "harbor-point-it" {
		t.Fatalf("harb selects %v", got)
	}
	msgs := press(t, a, "enter")
	if f.assigns != 1 || c.picker != nil {
		t.Fatalf("assigns %d, picker open %v", f.assigns, c.picker != nil)
	}
	var reloaded, said bool
	for _, m := range msgs {
		switch m := m.(type) {
		case reloadMsg:
			reloaded = true
		case statusMsg:
			said = m.text == "Learned domain denver-it.example for Harbor Point IT"
		}
	}
	if !reloaded || !said {
		t.Errorf("reload %v, status %v: %v", reloaded, said, msgs)
	}
	if got := unmatchedSummaries(c); !slices.Equal(got, []string{"Coffee with Orion Data"}) {
		t.Errorf("still unmatched: %q", got)
	}
	if h := c.shown().hours.Hours["harbor-point-it"]; h != 0.75 {
		t.Errorf("Harbor Point IT has %v h, want 0.75", h)
	}
	if !strings.Contains(screenText(a), "Learned domain denver-it.example for Harbor Point IT") {
		t.Errorf("no status:\n%s", screenText(a))
	}
	// The Partners tab was read again: its filter finds the new domain.
	press(t, a, "1", "/")
	typeText(t, a, "denver-it")
	if text := screenText(a); !strings.Contains(text, "Harbor Point IT") || !strings.Contains(text, "1 of 12") {
		t.Errorf("the Partners tab does not know the new domain:\n%s", text)
	}
}

func TestCalendarPickerCancel(t *testing.T) {
	f := newFakeCalendar()
	a := newCalendarApp(t, f, 80, 24, true)
	c := calendarOf(a)
	press(t, a, "j", "j", "a") // the second meeting
	if c.picker == nil || c.picker.meeting.Meeting.Summary != "Coffee with Orion Data" {
		t.Fatal("a did not open the picker on the selected meeting")
	}
	typeText(t, a, "zzz")
	if !strings.Contains(screenText(a), "No partner matches “zzz”") {
		t.Errorf("no match not said:\n%s", screenText(a))
	}
	press(t, a, "enter")
	if f.assigns != 0 || c.picker == nil || !strings.Contains(screenText(a), "esc cancels") {
		t.Error("enter with no match should keep the picker and assign nothing")
	}
	press(t, a, "esc")
	if c.picker != nil || f.assigns != 0 || a.active != 3 {
		t.Errorf("esc: picker %v, assigns %d, tab %d", c.picker != nil, f.assigns, a.active)
	}
	if len(c.unmatched()) != 2 {
		t.Error("cancelling changed the unmatched meetings")
	}
	// Opened again, it starts afresh.
	press(t, a, "a")
	if c.picker.input.Value() != "" || len(c.picker.matches) != 12 {
		t.Errorf("reopened picker holds %q", c.picker.input.Value())
	}
}

// TestCalendarPickerCapturesKeys: while the filter has focus, q, digits,
// ?, [ and j are text; ctrl+c still quits.
func TestCalendarPickerCapturesKeys(t *testing.T) {
	f := newFakeCalendar()
	a := newCalendarApp(t, f, 80, 24, true)
	c := calendarOf(a)
	press(t, a, "a")
	for _, k := range []string{"q", "1", "?", "[", "j", "k", "a"} {
		if msgs := press(t, a, k); quits(msgs) {
			t.Fatalf("%s quit while the picker had focus", k)
		}
	}
	if got := c.picker.input.Value(); got != "q1?[jka" {
		t.Errorf("typed %q", got)
	}
	if a.active != 3 || c.week.String() != "2026-W28" || a.footer.help.ShowAll {
		t.Errorf("a global key acted: tab %d, week %s, full help %v", a.active, c.week, a.footer.help.ShowAll)
	}
	if text := screenText(a); !strings.Contains(text, "ctrl+c quit") || strings.Contains(text, "q quit") {
		t.Errorf("help while picking:\n%s", text)
	}
	// Arrows move in the list, not the week.
	press(t, a, "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	press(t, a, "down", "down", "up")
	if c.picker.cursor != 1 || c.week.String() != "2026-W28" {
		t.Errorf("cursor %d, week %s", c.picker.cursor, c.week)
	}
	if !quits(press(t, a, "ctrl+c")) {
		t.Error("ctrl+c does not quit while picking")
	}
}

func TestCalendarAssignError(t *testing.T) {
	f := newFakeCalendar()
	a := newCalendarApp(t, f, 80, 24, true)
	c := calendarOf(a)
	press(t, a, "a")
	// The partner was removed meanwhile: the store refuses, the picker
	// stays open and says why.
	f.mu.Lock()
	f.snap.Partners = f.snap.Partners[:0]
	f.mu.Unlock()
	press(t, a, "enter")
	if c.picker == nil || !strings.Contains(c.picker.err, "Could not assign the meeting") {
		t.Fatalf("picker after a failed assign: %+v", c.picker)
	}
	if !strings.Contains(screenText(a), "Could not assign") {
		t.Errorf("error not shown:\n%s", screenText(a))
	}
}

// TestCalendarScroll: at 80×24 the report is taller than the screen; the
// keys scroll it and every frame is exactly the terminal's size.
func TestCalendarScroll(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {200, 60}, {40, 12}} {
		w, h := sz[0], sz[1]
		a := newCalendarApp(t, newFakeCalendar(), w, h, false)
		c := calendarOf(a)
		for _, k := range []string{"", "j", "j", "k", "k", "k", "G", "g", "pgdown", "ctrl+d", "ctrl+u", "a"} {
			if k != "" {
				press(t, a, k)
			}
			checkFrame(t, a.View().Content, w, h)
			if c.offset < 0 || c.offset > c.maxOffset() {
				t.Errorf("%dx%d %s: offset %d of %d", w, h, k, c.offset, c.maxOffset())
			}
		}
		press(t, a, "esc", "?")
		checkFrame(t, a.View().Content, w, h)
	}
	a := newCalendarApp(t, newFakeCalendar(), 80, 24, true)
	if text := screenText(a); !strings.Contains(text, "↓ 2 unmatched meetings below · j selects · a assigns") {
		t.Errorf("no hint that the list is below:\n%s", text)
	}
}

// TestCalendarGolden keeps the Calendar tab, and the picker over it, at
// 80×24 and 120×40 in testdata/calendar_*.golden (ANSI stripped).
func TestCalendarGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		w, h := sz[0], sz[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			shot := func(a *App, name string) {
				t.Helper()
				checkFrame(t, a.View().Content, w, h)
				golden(t, fmt.Sprintf("%s_%dx%d", name, w, h), screenText(a))
			}
			a := newCalendarApp(t, newFakeCalendar(), w, h, false)
			shot(a, "calendar")
			press(t, a, "a")
			typeText(t, a, "r")
			shot(a, "calendar_picker")
		})
	}
}

// TestPartnersShowLastWeek: with a calendar, the Partners tab gains last
// week's hours against each partner's allocation.
func TestPartnersShowLastWeek(t *testing.T) {
	a := newCalendarApp(t, newFakeCalendar(), 120, 40, true)
	press(t, a, "1")
	wantText(t, a, "Last wk")
	if l := lineWith(t, a, "Cobalt Consulting "); !strings.Contains(l, "4.0/0.25") {
		t.Errorf("Cobalt's row: %q, want 4.0/0.25 (hours/allocation)", l)
	}
	if l := lineWith(t, a, "Northwind Global "); !strings.Contains(l, "0.0/3") {
		t.Errorf("Northwind's row: %q, want 0.0/3", l)
	}
	// Without a calendar there is no such column.
	b := newLoadedApp(t, 120, 40, true)
	if strings.Contains(screenText(b), "Last wk") {
		t.Error("a store without a calendar shows the Last wk column")
	}
}

// TestDetailShowsLastWeek: the partner detail says last week's hours, and
// lists the meetings they are made of, in the calendar's zone.
func TestDetailShowsLastWeek(t *testing.T) {
	a := newCalendarApp(t, newFakeCalendar(), 120, 40, true)
	press(t, a, "1", "/")
	typeText(t, a, "cobalt consulting")
	press(t, a, "enter")
	wantText(t, a, "Last week (2026-W28): 4 h of manager time against 0.25 h allocated.",
		"  Mon 6 Jul 14:00     2 h  Cobalt: deal desk questions",
		"  Thu 9 Jul 10:00     2 h  Cobalt escalation")
	if strings.Contains(screenText(a), "Evergreen QBR") {
		t.Error("another partner's meeting is listed")
	}
}
