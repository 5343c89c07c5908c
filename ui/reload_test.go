package ui

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// renamedLoad is the fixture's load with Northwind renamed, as an import
// from another terminal would leave the store.
func renamedLoad(good func() (*store.Snapshot, error)) func() (*store.Snapshot, error) {
	return func() (*store.Snapshot, error) {
		snap, err := good()
		c := *snap
		c.Partners = slices.Clone(snap.Partners)
		for i := range c.Partners {
			if c.Partners[i].ID == "northwind-global" {
				c.Partners[i].Name = "Northwind Renamed"
			}
		}
		return &c, err
	}
}

// TestOtherTerminalsChangeIsPickedUp: a change made from another terminal
// shows after ctrl+r, or when the terminal gets the focus back; the
// filter typed before still applies.
func TestOtherTerminalsChangeIsPickedUp(t *testing.T) {
	for _, tc := range []struct {
		name   string
		msg    tea.Msg
		status string
	}{
		{"ctrl+r", keyMsg("ctrl+r"), "Reloaded the store"},
		{"focus regained", tea.FocusMsg{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newLoadedApp(t, 120, 40, true)
			press(t, a, "/")
			typeText(t, a, "north")
			press(t, a, "enter") // the one match opens
			press(t, a, "esc")
			a.opts.Load = renamedLoad(a.opts.Load)
			if strings.Contains(screenText(a), "Northwind Renamed") {
				t.Fatal("renamed before any reload")
			}
			send(t, a, tc.msg)
			text := screenText(a)
			if !strings.Contains(text, "Northwind Renamed") || !strings.Contains(text, "1 of 12 partners") {
				t.Errorf("the change is not shown, or the filter was lost:\n%s", text)
			}
			if tc.status != "" && !strings.Contains(text, tc.status) {
				t.Errorf("no %q status:\n%s", tc.status, text)
			}
			if tc.status == "" && strings.Contains(text, "Reloaded the store") {
				t.Errorf("a focus reload should be silent:\n%s", text)
			}
		})
	}
}

// TestReloadAfterFailedStart: a first load that failed (the store busy)
// is tried again with ctrl+r, and the view says so.
func TestReloadAfterFailedStart(t *testing.T) {
	t.Setenv("HOME", fixtureHome)
	opts := fixtureOptions(true)
	good := opts.Load
	opts.Load = func() (*store.Snapshot, error) { return nil, errors.New("store is busy") }
	a := New(opts)
	send(t, a, tea.WindowSizeMsg{Width: 100, Height: 30})
	run(t, a, a.Init())
	wantText(t, a, "ctrl+r tries again")
	a.opts.Load = good
	press(t, a, "ctrl+r")
	if a.err != nil || !strings.Contains(screenText(a), "Northwind Global") {
		t.Fatalf("ctrl+r did not load the store: %v\n%s", a.err, screenText(a))
	}
}

// TestReloadKeyWaitsForDialogs: while a dialog has the keyboard, ctrl+r
// is the dialog's (a typed reason is never thrown away by a reload).
func TestReloadKeyWaitsForDialogs(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	press(t, a, "/")
	calls := 0
	good := a.opts.Load
	a.opts.Load = func() (*store.Snapshot, error) { calls++; return good() }
	press(t, a, "ctrl+r")
	if calls != 0 {
		t.Errorf("ctrl+r reloaded while the filter had focus")
	}
}

// TestViewReportsFocus: without focus reports the terminal never says
// the user came back.
func TestViewReportsFocus(t *testing.T) {
	a := newLoadedApp(t, 80, 24, true)
	if !a.View().ReportFocus {
		t.Error("the view does not ask for focus reports")
	}
}

// TestReloadKeepsDetailScroll: a reload while reading a partner's detail
// keeps the reader where they were, not back at the title.
func TestReloadKeepsDetailScroll(t *testing.T) {
	a := newLoadedApp(t, 80, 24, true)
	press(t, a, "/")
	typeText(t, a, "north")
	press(t, a, "enter") // Northwind's detail
	press(t, a, "G")
	dt := screenOf[*partnersScreen](a).detail
	if dt == nil || dt.offset == 0 {
		t.Fatalf("the detail did not scroll: %+v", dt)
	}
	before := dt.offset
	press(t, a, "ctrl+r")
	if dt := screenOf[*partnersScreen](a).detail; dt == nil || dt.offset != before {
		t.Errorf("after ctrl+r the detail is at %d, want %d", dt.offset, before)
	}
}

// TestWeekHoursRoundAsTheDetail: the list's last-week cell and the
// detail's sentence round the same hours the same way.
func TestWeekHoursRoundAsTheDetail(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	d := a.data
	r := &d.rows[d.rowOf("northwind-global")]
	d.hours = map[string]float64{"northwind-global": 1.25}
	if got := d.weekHours(r); got != "1.3/3" {
		t.Errorf("weekHours = %q, want 1.3/3", got)
	}
}

// TestHelpListsReload: the full help names ctrl+r.
func TestHelpListsReload(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	press(t, a, "?")
	wantText(t, a, "ctrl+r")
}

// oneNorthwind is a real store holding one partner.
func oneNorthwind(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Create(filepath.Join(t.TempDir(), "partnertiers.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutPartners([]model.Partner{{ID: "northwind-global", Name: "Northwind Global", Tier: "gold", Track: "reseller", Joined: fixtureNow.AddDate(-3, 0, 0)}}); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestFocusReadsOnlyAChangedStore: the window getting the focus back reads
// the store again only if something was written since it was read.
func TestFocusReadsOnlyAChangedStore(t *testing.T) {
	st := oneNorthwind(t)
	loads := 0
	opts := fixtureOptions(true)
	opts.Load = func() (*store.Snapshot, error) { loads++; return st.Snapshot() }
	opts.Version = st.Version
	a := loadedApp(t, opts, 100, 30)
	if loads != 1 {
		t.Fatalf("%d loads at start", loads)
	}
	send(t, a, tea.FocusMsg{})
	send(t, a, tea.FocusMsg{})
	if loads != 1 {
		t.Errorf("the focus read an unchanged store again (%d loads)", loads)
	}
	if err := st.PutPartners([]model.Partner{{ID: "vocalis", Name: "Vocalis", Tier: "silver", Track: "reseller", Joined: fixtureNow.AddDate(-1, 0, 0)}}); err != nil {
		t.Fatal(err)
	}
	send(t, a, tea.FocusMsg{})
	if loads != 2 || !strings.Contains(screenText(a), "Vocalis") {
		t.Errorf("a changed store was not read again (%d loads):\n%s", loads, screenText(a))
	}
	press(t, a, "ctrl+r")
	if loads != 3 {
		t.Errorf("ctrl+r reads the store whatever it holds (%d loads)", loads)
	}
}

// TestReloadSharesTheSnapshotOnScreen: reading the store again hands the
// store the snapshot on screen, to share what has not changed.
func TestReloadSharesTheSnapshotOnScreen(t *testing.T) {
	st := oneNorthwind(t)
	var handed []*store.Snapshot
	opts := fixtureOptions(true)
	opts.Load = st.Snapshot
	opts.Reload = func(prev *store.Snapshot) (*store.Snapshot, error) {
		handed = append(handed, prev)
		return st.SnapshotAfter(prev)
	}
	a := loadedApp(t, opts, 100, 30)
	shown := a.data.snap
	if len(handed) != 0 {
		t.Fatal("the first load had a snapshot to share")
	}
	press(t, a, "ctrl+r")
	if len(handed) != 1 || handed[0] != shown {
		t.Fatalf("reload was handed %v, not the snapshot on screen", handed)
	}
	if a.data.snap == shown || !strings.Contains(screenText(a), "Northwind Global") {
		t.Errorf("the reload was not shown:\n%s", screenText(a))
	}
}

// TestFocusOnAnotherDayReadsAgain: the period and last week follow the
// clock, so an app left open into a new quarter shows it when it gets the
// focus back, though nothing was written.
func TestFocusOnAnotherDayReadsAgain(t *testing.T) {
	st := oneNorthwind(t)
	q2, q3 := model.MustPeriod("2026-Q2"), model.MustPeriod("2026-Q3")
	if err := st.PutProduction([]model.Production{
		{Partner: "northwind-global", Period: q2, Values: map[string]float64{"sourced_pipeline": 1}},
		{Partner: "northwind-global", Period: q3, Values: map[string]float64{"sourced_pipeline": 2}},
	}); err != nil {
		t.Fatal(err)
	}
	now := fixtureNow
	opts := fixtureOptions(true)
	opts.Load, opts.Reload, opts.Version = st.Snapshot, st.SnapshotAfter, st.Version
	opts.Now = func() time.Time { return now }
	a := loadedApp(t, opts, 100, 30)
	if a.header.period != "2026-Q2" {
		t.Fatalf("the fixture's day shows %s", a.header.period)
	}
	now = time.Date(2026, 10, 15, 9, 0, 0, 0, time.UTC)
	send(t, a, tea.FocusMsg{})
	if a.header.period != "2026-Q3" {
		t.Errorf("after the quarter ended the app still shows %s", a.header.period)
	}
}

// busyReviews and busyCalendar are a store's reviews and calendar whose
// reads fail while busy is set, as a store busy for a moment does.
type busyReviews struct {
	store.Brief
	busy  *bool
	reads int
}

func (f *busyReviews) ReviewInfos(p *model.Program) ([]store.ReviewInfo, error) {
	f.reads++
	if *f.busy {
		return nil, errors.New("store is busy")
	}
	return f.Brief.ReviewInfos(p)
}

type busyCalendar struct {
	CalendarSource
	busy  *bool
	reads int
}

func (f *busyCalendar) Meetings(from, to time.Time) ([]model.Meeting, error) {
	f.reads++
	if *f.busy {
		return nil, errors.New("store is busy")
	}
	return f.CalendarSource.Meetings(from, to)
}

// TestFocusRetriesAFailedTabRead: a tab whose read failed reads again when
// the window gets the focus back, though nothing was written; the
// snapshot is not read again, nor a tab whose read went well.
func TestFocusRetriesAFailedTabRead(t *testing.T) {
	st := oneNorthwind(t)
	loads, busy := 0, true
	opts := fixtureOptions(true)
	opts.Load = func() (*store.Snapshot, error) { loads++; return st.Snapshot() }
	opts.Version = st.Version
	reviews, cal := &busyReviews{Brief: st.Brief(), busy: &busy}, &busyCalendar{CalendarSource: st, busy: &busy}
	opts.Reviews, opts.Reviewer = reviews, "dana"
	opts.Calendar, opts.CalendarConfig = cal, calendarOptions(newFakeCalendar(), true).CalendarConfig
	a := loadedApp(t, opts, 120, 40)
	tabs := []loader{reviewOf(a), healthOf(a), screenOf[*calendarScreen](a)}
	for i, tab := range tabs {
		if !tab.LoadFailed() {
			t.Fatalf("tab %d: its read at start did not fail", i+2)
		}
	}
	busy = false
	send(t, a, tea.FocusMsg{})
	if loads != 1 {
		t.Errorf("an unchanged store was read again (%d loads)", loads)
	}
	for i, tab := range tabs {
		if tab.LoadFailed() {
			t.Errorf("tab %d: its failed read was not tried again", i+2)
		}
	}
	reviewReads, calReads := reviews.reads, cal.reads
	send(t, a, tea.FocusMsg{})
	if reviews.reads != reviewReads || cal.reads != calReads {
		t.Errorf("reads that went well were made again on an unchanged store")
	}
	press(t, a, "2")
	wantText(t, a, "2026-Q2  not reviewed")
}

// TestFocusAfterTheCalendarsWeekEndsReadsAgain: last week turns at the
// calendar's midnight, which may fall on the clock's same date: coming
// back to the window then reads the store again for the new week.
func TestFocusAfterTheCalendarsWeekEndsReadsAgain(t *testing.T) {
	st := oneNorthwind(t)
	loads := 0
	now := time.Date(2026, 7, 20, 1, 0, 0, 0, time.UTC) // Sunday 21:00 in New York
	opts := fixtureOptions(true)
	opts.Load = func() (*store.Snapshot, error) { loads++; return st.Snapshot() }
	opts.Version, opts.Now = st.Version, func() time.Time { return now }
	opts.Calendar, opts.CalendarConfig = st, calendarOptions(newFakeCalendar(), true).CalendarConfig
	a := loadedApp(t, opts, 120, 40)
	now = now.Add(time.Hour)
	send(t, a, tea.FocusMsg{})
	if loads != 1 {
		t.Fatalf("an hour later, the same week, the store was read again (%d loads)", loads)
	}
	now = time.Date(2026, 7, 20, 5, 0, 0, 0, time.UTC) // Monday 01:00 in New York
	send(t, a, tea.FocusMsg{})
	if loads != 2 {
		t.Errorf("last week turned in the calendar's zone, but the store was not read again (%d loads)", loads)
	}
}
