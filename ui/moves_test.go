package ui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// countingStoreApp is the app on st at the time now tells, counting its
// reads of the snapshot (Load and Reload), on the Review tab with the
// review started.
func countingStoreApp(t *testing.T, st *store.Store, reads *int, now func() time.Time) *App {
	t.Helper()
	opts := fixtureOptions(true)
	opts.Now = now
	opts.Load = func() (*store.Snapshot, error) { *reads++; return st.Snapshot() }
	opts.Reload = func(prev *store.Snapshot) (*store.Snapshot, error) { *reads++; return st.SnapshotAfter(prev) }
	opts.Version = st.Version
	opts.Reviews, opts.Reviewer = st.Brief(), "dana"
	a := loadedApp(t, opts, 120, 40, "2")
	press(t, a, "enter")
	if s := reviewOf(a); s.mode != reviewList || s.cur == nil {
		t.Fatalf("enter did not start the review:\n%s", screenText(a))
	}
	return a
}

// acceptEvery accepts every move of the review on screen.
func acceptEvery(t *testing.T, a *App) {
	t.Helper()
	s := reviewOf(a)
	for len(s.cur.undecided) > 0 {
		s.moveTo(s.cur.undecided[0])
		press(t, a, "a")
	}
}

// finalizeAll accepts every move of the review on screen and finalizes it.
func finalizeAll(t *testing.T, a *App) {
	t.Helper()
	acceptEvery(t, a)
	press(t, a, "F", "y")
	if s := reviewOf(a); s.cur.r.Status != model.ReviewFinalized {
		t.Fatalf("not finalized:\n%s", screenText(a))
	}
}

// TestFinalizeShowsMovesWithoutReadingTheStore: a finalize shows its
// moves from the snapshot on screen, not from a read of the store (at
// 100k partners that read beside the program on screen was the app's
// peak of memory); the next focus reads the store (the finalize wrote
// it), which holds what was shown.
func TestFinalizeShowsMovesWithoutReadingTheStore(t *testing.T) {
	st := oneNorthwind(t)
	reads := 0
	a := countingStoreApp(t, st, &reads, func() time.Time { return fixtureNow })
	before := reads
	finalizeAll(t, a)
	if reads != before {
		t.Errorf("the finalize read the store again (%d reads)", reads-before)
	}
	press(t, a, "1")
	wantText(t, a, "SILVER · 1 partner")
	if strings.Contains(screenText(a), "GOLD · 1") {
		t.Errorf("Northwind is still shown Gold:\n%s", screenText(a))
	}
	shown := a.data.snap
	send(t, a, tea.FocusMsg{})
	if reads != before+1 {
		t.Fatalf("the focus after a finalize did not read the store (%d reads)", reads-before)
	}
	fresh, err := st.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(shown.Partners, fresh.Partners) || !reflect.DeepEqual(shown.History, fresh.History) {
		t.Errorf("shown after the finalize\n%+v\n%+v\nthe store\n%+v\n%+v", shown.Partners, shown.History, fresh.Partners, fresh.History)
	}
}

// TestFinalizeOfAPartnerNotOnScreenReadsTheStore: a move of a partner
// another terminal added since the store was read is shown by reading it.
func TestFinalizeOfAPartnerNotOnScreenReadsTheStore(t *testing.T) {
	st := oneNorthwind(t)
	reads := 0
	opts := fixtureOptions(true)
	opts.Load = func() (*store.Snapshot, error) { reads++; return st.Snapshot() }
	opts.Reviews, opts.Reviewer = st.Brief(), "dana"
	a := loadedApp(t, opts, 120, 40)
	if err := st.PutPartners([]model.Partner{{ID: "vocalis", Name: "Vocalis", Tier: "gold", Track: "reseller", Joined: fixtureNow.AddDate(-3, 0, 0)}}); err != nil {
		t.Fatal(err)
	}
	press(t, a, "2", "enter")
	before := reads
	finalizeAll(t, a)
	if reads != before+1 {
		t.Errorf("a move of a partner not on screen was not read from the store (%d reads)", reads-before)
	}
	press(t, a, "1")
	wantText(t, a, "SILVER · 2 partners", "Vocalis")
}

// TestFinalizeOnAnotherDayReadsTheStore: past midnight last week may be
// another, and its hours with it: the finalize is shown by reading the
// store.
func TestFinalizeOnAnotherDayReadsTheStore(t *testing.T) {
	st := oneNorthwind(t)
	reads, now := 0, fixtureNow
	a := countingStoreApp(t, st, &reads, func() time.Time { return now })
	before := reads
	now = now.AddDate(0, 0, 1)
	finalizeAll(t, a)
	if reads != before+1 {
		t.Errorf("a finalize on the next day did not read the store (%d reads)", reads-before)
	}
}

// messagesOf runs cmd and the commands it batches, without feeding what
// they return to Update: a message the runtime holds back for a moment.
func messagesOf(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, messagesOf(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

// finalizeHeld decides every move and confirms the finalize, running its
// command (the store is written) but holding back the message it returns,
// as the runtime may while other messages land.
func finalizeHeld(t *testing.T, a *App) finalizedMsg {
	t.Helper()
	acceptEvery(t, a)
	press(t, a, "F")
	_, cmd := a.Update(keyMsg("y"))
	for _, m := range messagesOf(cmd) {
		if f, ok := m.(finalizedMsg); ok && f.err == nil {
			return f
		}
	}
	t.Fatal("no finalize")
	return finalizedMsg{}
}

// TestMovesShownOnceWhenALoadLandsFirst: the window gets the focus back
// during a finalize, after its write, and that load lands before the
// finalize's message: the rows on screen may hold the moves already, so
// the store is read rather than the moves applied again (each history
// entry twice, in the detail and the health checks).
func TestMovesShownOnceWhenALoadLandsFirst(t *testing.T) {
	st := oneNorthwind(t)
	reads := 0
	a := countingStoreApp(t, st, &reads, func() time.Time { return fixtureNow })
	fin := finalizeHeld(t, a)
	send(t, a, tea.FocusMsg{}) // reads the finalized store
	send(t, a, fin)            // then the finalize is shown: movedMsg

	fresh, err := st.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	got, want := a.data.snap.History["northwind-global"], fresh.History["northwind-global"]
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history shown after the finalize: %d entries\n%+v\nthe store: %d\n%+v", len(got), got, len(want), want)
	}
	press(t, a, "1", "enter")
	if n := strings.Count(screenText(a), "Gold → Silver"); n != 1 {
		t.Errorf("the detail lists the demotion %d times:\n%s", n, screenText(a))
	}
}

// TestFinalizeDuringAReloadReadsTheStore: ctrl+r is under way when the
// finalize lands. Applying the moves to the rows on screen would drop
// that read (a newer load wins) and with it what another terminal added,
// under a footer saying the store was reloaded: the store is read again.
func TestFinalizeDuringAReloadReadsTheStore(t *testing.T) {
	st := oneNorthwind(t)
	reads := 0
	a := countingStoreApp(t, st, &reads, func() time.Time { return fixtureNow })
	fin := finalizeHeld(t, a)
	// Another terminal adds a partner; then ctrl+r, its read under way.
	if err := st.PutPartners([]model.Partner{{ID: "vocalis", Name: "Vocalis", Tier: "gold", Track: "reseller", Joined: fixtureNow.AddDate(-3, 0, 0)}}); err != nil {
		t.Fatal(err)
	}
	_, rcmd := a.Update(keyMsg("ctrl+r"))
	held := messagesOf(rcmd) // read, not yet delivered
	send(t, a, fin)          // the finalize lands first: movedMsg
	for _, m := range held {
		send(t, a, m)
	}
	fresh, err := st.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if len(a.data.snap.Partners) != len(fresh.Partners) {
		t.Errorf("after ctrl+r and the finalize the app shows %d partners, the store holds %d; footer: %q",
			len(a.data.snap.Partners), len(fresh.Partners), a.footer.status)
	}
}

// TestFinalizeAfterTheCalendarsWeekEndsCountsTheNewWeek: the clock's
// date is Now's zone's, last week the calendar zone's. A finalize after
// the calendar's week ended on the clock's same date (Monday 01:00 in New
// York, 05:00 UTC) reads the store, so no hours of the week before stay
// as "Last wk" (the week just ended has no meetings: no hours at all).
func TestFinalizeAfterTheCalendarsWeekEndsCountsTheNewWeek(t *testing.T) {
	f, cal := newFake(), newFakeCalendar()
	opts := reviewOptions(f, true)
	opts.Calendar, opts.CalendarConfig = cal, calendarOptions(cal, true).CalendarConfig
	now := time.Date(2026, 7, 20, 1, 0, 0, 0, time.UTC) // Sunday 21:00 in New York
	opts.Now = func() time.Time { return now }
	a := loadedApp(t, opts, 120, 40, "2", "enter")
	shownWeek := a.data.hoursWeek
	decideAll(t, a)
	now = time.Date(2026, 7, 20, 5, 0, 0, 0, time.UTC) // Monday 01:00 in New York
	press(t, a, "F", "y")
	if s := reviewOf(a); s.cur.r.Status != model.ReviewFinalized {
		t.Fatalf("not finalized:\n%s", screenText(a))
	}
	want := model.LastWeek(now, calendarZone)
	if a.data.hoursWeek != want && a.data.hours != nil {
		t.Errorf("after the finalize last week's hours are of %v (shown since %v); last week is %v", a.data.hoursWeek, shownWeek, want)
	}
}
