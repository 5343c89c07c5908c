package ui

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
)

// startReview is an app on f at 120×40 with the default period's review
// started from the period list.
func startReview(t *testing.T, f *fakeReviews) *App {
	t.Helper()
	a := newReviewApp(t, f, 120, 40, true)
	if s := reviewOf(a); s.mode != reviewPeriods {
		t.Fatalf("with no open review the tab shows mode %d, want the period list", s.mode)
	}
	press(t, a, "enter")
	if s := reviewOf(a); s.mode != reviewList || s.cur == nil {
		t.Fatalf("enter did not start the review: mode %d\n%s", s.mode, screenText(a))
	}
	return a
}

// selectPartner moves the cursor to the proposal for name.
func selectPartner(t *testing.T, a *App, name string) {
	t.Helper()
	s := reviewOf(a)
	press(t, a, "g")
	for range s.shown + 1 {
		if pr, ok := s.selectedProposal(); ok && pr.Name == name {
			return
		}
		press(t, a, "j")
	}
	t.Fatalf("%s is not in the list:\n%s", name, screenText(a))
}

// lineWith is the screen line holding s.
func lineWith(t *testing.T, a *App, s string) string {
	t.Helper()
	for _, l := range strings.Split(screenText(a), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	t.Fatalf("no line holds %q:\n%s", s, screenText(a))
	return ""
}

func wantText(t *testing.T, a *App, want ...string) {
	t.Helper()
	got := screenText(a)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}

func TestReviewStartsForTheDefaultPeriod(t *testing.T) {
	f := newFake()
	a := newReviewApp(t, f, 120, 40, true)
	wantText(t, a, "No review is open", "› 2026-Q2  not reviewed · the last complete quarter", "2026-Q1  not reviewed", "enter start")
	press(t, a, "enter")
	r := f.review(reviewPeriod)
	if r == nil || r.Status != model.ReviewOpen || r.StartedBy != "dana" {
		t.Fatalf("the store holds no open review started by dana: %+v", r)
	}
	wantText(t, a, "Review 2026-Q2 · open · 14 partners", "0 of 4 moves decided", "Started the 2026-Q2 review: 14 partners, 4 moves to decide")
	// The cursor starts on the first move to decide.
	if pr, _ := reviewOf(a).selectedProposal(); pr.Name != "Brightpath Analytics" {
		t.Errorf("cursor on %s, want Brightpath Analytics", pr.Name)
	}
}

func TestReviewPeriodPicker(t *testing.T) {
	f := newFake()
	a := newReviewApp(t, f, 120, 40, true)
	press(t, a, "j", "enter")
	if f.review(model.MustPeriod("2026-Q1")) == nil {
		t.Fatal("j, enter did not start the 2026-Q1 review")
	}
	wantText(t, a, "Review 2026-Q1 · open")
	// One review at a time: the list says so and starts nothing else.
	press(t, a, "p")
	wantText(t, a, "The 2026-Q1 review is open")
	press(t, a, "g", "enter")
	wantText(t, a, "The 2026-Q1 review is open: finalize it, or discard it with D, before starting …")
	if f.review(reviewPeriod) != nil {
		t.Error("a second review was started while one is open")
	}
	press(t, a, "esc")
	if s := reviewOf(a); s.mode != reviewList || s.cur.r.Period != model.MustPeriod("2026-Q1") {
		t.Errorf("esc from the periods does not go back to the open review")
	}
}

func TestReviewGroupsAndCounts(t *testing.T) {
	a := startReview(t, newFake())
	wantText(t, a,
		"PROMOTE · 2 · earn a higher tier",
		"DEMOTE · 2 · missed their tier again",
		"GRACE · 1 · first miss",
		"NEW · 1 · too new to judge",
		"HOLD · 8 · earn the tier they hold · folded: h shows them",
	)
	got := screenText(a)
	order := []string{"PROMOTE", "Brightpath Analytics", "Harbor Point IT", "DEMOTE", "Fjord Networks", "Northwind Global", "GRACE", "Meridian Cloud", "NEW", "Nimbus Works", "HOLD"}
	last := -1
	for _, s := range order {
		i := strings.Index(got, s)
		if i < last {
			t.Errorf("%s out of order:\n%s", s, got)
		}
		last = i
	}
	if strings.Contains(got, "Evergreen Cloud Partners") {
		t.Error("holds show while folded")
	}
	if l := lineWith(t, a, "Northwind Global   "); !strings.Contains(l, "Gold → Silver") || !strings.Contains(l, "• pending") || !strings.Contains(l, "earns Registered") {
		t.Errorf("Northwind's row: %q", l)
	}
	if l := lineWith(t, a, "Meridian Cloud   "); !strings.Contains(l, "held") {
		t.Errorf("a grace hold's row: %q", l)
	}
	press(t, a, "h")
	wantText(t, a, "Evergreen Cloud Partners", "HOLD · 8 · earn the tier they hold", "h hide holds")
	selectPartner(t, a, "Kestrel Partners") // the holds take the cursor
	if strings.Contains(screenText(a), "folded") {
		t.Error("h did not unfold the holds")
	}
	press(t, a, "h")
	if strings.Contains(screenText(a), "Evergreen Cloud Partners") {
		t.Error("h twice does not fold the holds again")
	}
}

func TestReviewEvidence(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"Northwind Global", []string{
			"Northwind Global · demote Gold → Silver · earns Registered",
			"Missed Gold two reviews running",
			"Gold criteria (current tier)",
			"✗ Sourced pipeline", "$0 of $400,000", "needs $400,000 more",
			"* one of the starred criteria is enough",
			"• Pending: a accepts the demote to Silver, o overrides it",
		}},
		{"Brightpath Analytics", []string{
			"Gold criteria (target tier)", "✓ Sourced pipeline", "$500,000 of $400,000  met", "not needed",
		}},
		{"Nimbus Works", []string{
			"New partner (joined 2026-05-04)", "Silver criteria (next tier: Registered has none)",
			"Held at Registered: counts as accepted unless o overrides it",
		}},
		{"Meridian Cloud", []string{"Grace hold at Silver", "Silver criteria (current tier)", "✗ Certified reps"}},
	}
	a := startReview(t, newFake())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			selectPartner(t, a, tt.name)
			wantText(t, a, tt.want...)
		})
	}
}

func TestReviewAccept(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Northwind Global")
	press(t, a, "a")
	d, ok := f.decision(reviewPeriod, "northwind-global")
	if !ok || d.Kind != model.Accepted || d.Tier != "silver" || d.By != "dana" || !d.At.Equal(fixtureNow) {
		t.Fatalf("stored decision: %+v, %v", d, ok)
	}
	if l := lineWith(t, a, "Northwind Global   "); !strings.Contains(l, "✓ accepted") {
		t.Errorf("row after accept: %q", l)
	}
	wantText(t, a, "Accepted Northwind Global: Gold → Silver")
	selectPartner(t, a, "Northwind Global") // the cursor moved on to the next move
	wantText(t, a, "1 of 4 moves decided", "✓ Accepted: Gold → Silver by dana, 2026-07-15 09:00")
	// Accepting again writes nothing.
	writes := f.writes
	press(t, a, "a")
	if f.writes != writes {
		t.Error("a second accept wrote to the store")
	}
	wantText(t, a, "Northwind Global is already accepted")
}

func TestReviewShowsOnlyWhatTheStoreConfirmed(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Fjord Networks")
	s := reviewOf(a)
	// The key alone changes nothing on screen: the command has not run.
	_, cmd := a.Update(keyMsg("a"))
	if l := lineWith(t, a, "Fjord Networks   "); !strings.Contains(l, "• pending") {
		t.Errorf("the row changed before the store answered: %q", l)
	}
	if s.busy == "" || !strings.Contains(screenText(a), "Saving…") {
		t.Error("no sign of the save in flight")
	}
	// A decision made meanwhile waits for it, and shows only once saved.
	calls := f.calls
	press(t, a, "a") // the cursor moved on to Northwind, the next move
	if f.calls != calls || len(s.queue) != 1 {
		t.Fatalf("the second decision did not wait: %d store calls, %d queued", f.calls-calls, len(s.queue))
	}
	if l := lineWith(t, a, "Northwind Global   "); !strings.Contains(l, "• pending") {
		t.Errorf("a queued decision shows: %q", l)
	}
	run(t, a, cmd)
	for _, name := range []string{"Fjord Networks   ", "Northwind Global   "} {
		if l := lineWith(t, a, name); !strings.Contains(l, "✓ accepted") {
			t.Errorf("the confirmed decision does not show: %q", l)
		}
	}
	if _, ok := f.decision(reviewPeriod, "northwind-global"); !ok || s.busy != "" || len(s.queue) != 0 {
		t.Errorf("the queued decision was not saved: busy %q, %d queued", s.busy, len(s.queue))
	}

	// A failing store: the error shows, the decision does not.
	f.err = errors.New("store is locked by another process")
	selectPartner(t, a, "Harbor Point IT")
	press(t, a, "a")
	wantText(t, a, "Not saved: store is locked by another process")
	if l := lineWith(t, a, "Harbor Point IT   "); !strings.Contains(l, "• pending") {
		t.Errorf("a failed accept shows as decided: %q", l)
	}
}

func TestReviewOverride(t *testing.T) {
	tests := []struct {
		name     string
		partner  string
		id       string
		keys     []string // in the tier field, before enter
		reason   string
		wantTier string
		upward   bool
	}{
		// Northwind earns Registered: keeping it at Gold is upward.
		{"keep at current, upward", "Northwind Global", "northwind-global", nil, "Renewal of the global agreement signed for Q3", "gold", true},
		// Brightpath earns Gold: holding it at Silver is not.
		{"below the earned tier", "Brightpath Analytics", "brightpath-analytics", []string{"right"}, "One quarter of evidence; promote one step", "silver", false},
		// Fjord earns Registered; Silver is above it.
		{"tier picked with k", "Fjord Networks", "fjord-networks", []string{"j", "k"}, "New certified reps start in August", "silver", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			a := startReview(t, f)
			selectPartner(t, a, tt.partner)
			press(t, a, "o")
			s := reviewOf(a)
			if s.dialog == nil {
				t.Fatal("o did not open the dialog")
			}
			press(t, a, tt.keys...)
			press(t, a, "enter") // to the reason
			if s.dialog.field != fieldReason {
				t.Fatal("enter in the tier field with no reason did not move to the reason")
			}
			typeText(t, a, tt.reason)
			press(t, a, "enter")
			if s.dialog != nil {
				t.Fatalf("the dialog stayed open:\n%s", screenText(a))
			}
			d, ok := f.decision(reviewPeriod, tt.id)
			if !ok || d.Kind != model.Overridden || d.Tier != tt.wantTier || d.Reason != tt.reason || d.By != "dana" {
				t.Fatalf("stored decision: %+v", d)
			}
			l := lineWith(t, a, tt.partner+"   ")
			tierName := fixtureProgram().TierName(tt.wantTier)
			if !strings.Contains(l, "overridden to "+tierName) {
				t.Errorf("row: %q", l)
			}
			if got := strings.Contains(l, "↑ upward"); got != tt.upward {
				t.Errorf("upward mark %v, want %v: %q", got, tt.upward, l)
			}
			wantText(t, a, "Reason: “"+tt.reason+"”", "1 of 4 moves decided")
		})
	}
}

func TestReviewOverrideRefusesABlankReason(t *testing.T) {
	for _, reason := range []string{"", "   "} {
		f := newFake()
		a := startReview(t, f)
		selectPartner(t, a, "Northwind Global")
		press(t, a, "o", "tab")
		typeText(t, a, reason)
		writes := f.writes
		press(t, a, "enter")
		s := reviewOf(a)
		if s.dialog == nil {
			t.Fatal("enter with a blank reason closed the dialog")
		}
		wantText(t, a, "An override needs a reason: type why, then enter. Nothing was saved.")
		if _, ok := f.decision(reviewPeriod, "northwind-global"); ok || f.writes != writes {
			t.Errorf("reason %q: the store has a decision", reason)
		}
		// Typing clears the message; esc cancels and saves nothing.
		typeText(t, a, "x")
		if strings.Contains(screenText(a), "needs a reason") {
			t.Error("the refusal stays after typing")
		}
		press(t, a, "esc")
		if s.dialog != nil {
			t.Fatal("esc did not close the dialog")
		}
		wantText(t, a, "Override cancelled: nothing saved")
		if _, ok := f.decision(reviewPeriod, "northwind-global"); ok {
			t.Error("esc saved a decision")
		}
	}
}

func TestReviewOverrideStoreErrorKeepsTheDialog(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Northwind Global")
	press(t, a, "o", "tab")
	typeText(t, a, "Renewal")
	f.err = errors.New("store is locked by another process")
	press(t, a, "enter")
	s := reviewOf(a)
	if s.dialog == nil || s.dialog.saving {
		t.Fatal("a failed save closed the dialog")
	}
	wantText(t, a, "Not saved: store is locked by another process")
	// Once the store answers again, enter saves what was typed.
	f.err = nil
	press(t, a, "enter")
	if d, ok := f.decision(reviewPeriod, "northwind-global"); !ok || d.Reason != "Renewal" || s.dialog != nil {
		t.Errorf("retry: %+v, dialog open %v", d, s.dialog != nil)
	}
}

func TestReviewOverrideToTheProposedTierIsRefused(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Northwind Global")
	press(t, a, "o", "left") // Gold → Silver, the proposed tier
	press(t, a, "tab")
	typeText(t, a, "because")
	press(t, a, "enter")
	wantText(t, a, "Silver is what the review proposes: esc, then a accepts it")
	if _, ok := f.decision(reviewPeriod, "northwind-global"); ok {
		t.Error("an override to the proposed tier was saved")
	}
}

func TestReviewDialogCapturesGlobalKeys(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Northwind Global")
	press(t, a, "o", "tab")
	msgs := press(t, a, "q")
	msgs = append(msgs, press(t, a, "1", "2", "3", "?")...)
	if quits(msgs) || a.active != 1 {
		t.Fatalf("global keys escaped the dialog: quit %v, tab %d", quits(msgs), a.active)
	}
	s := reviewOf(a)
	if got := s.dialog.reason(); got != "q123?" {
		t.Errorf("the reason reads %q, want q123?", got)
	}
	// tab goes back to the tier field, not to another tab.
	press(t, a, "tab")
	if s.dialog.field != fieldTier || a.active != 1 {
		t.Errorf("tab: field %d, tab %d", s.dialog.field, a.active)
	}
	// The cursor shows only in the reason field.
	if a.View().Cursor != nil {
		t.Error("a cursor shows in the tier field")
	}
	press(t, a, "tab")
	if c := a.View().Cursor; c == nil {
		t.Error("no cursor in the reason field")
	} else if line := strings.Split(screenText(a), "\n")[c.Y]; !strings.Contains(line, "Reason") {
		t.Errorf("cursor on line %d: %q", c.Y, line)
	}
	if !quits(press(t, a, "ctrl+c")) {
		t.Error("ctrl+c does not quit from the dialog")
	}
}

func TestReviewUndo(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Northwind Global")
	press(t, a, "a")
	selectPartner(t, a, "Northwind Global")
	press(t, a, "u")
	if _, ok := f.decision(reviewPeriod, "northwind-global"); ok {
		t.Error("undo left the decision in the store")
	}
	if l := lineWith(t, a, "Northwind Global   "); !strings.Contains(l, "• pending") {
		t.Errorf("row after undo: %q", l)
	}
	wantText(t, a, "0 of 4 moves decided", "Undid the decision on Northwind Global")
	writes := f.writes
	press(t, a, "u")
	wantText(t, a, "No decision on Northwind Global to undo")
	if f.writes != writes {
		t.Error("undo with nothing to undo wrote")
	}
}

func TestReviewFinalizeBlockedByUndecidedMoves(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Brightpath Analytics")
	press(t, a, "a")
	selectPartner(t, a, "Meridian Cloud")
	calls := f.calls
	press(t, a, "F")
	s := reviewOf(a)
	if s.mode != reviewList {
		t.Fatalf("F with undecided moves asked for confirmation")
	}
	wantText(t, a, "Cannot finalize: 3 moves still undecided")
	if pr, _ := s.selectedProposal(); pr.Name != "Harbor Point IT" {
		t.Errorf("cursor on %s, want the first undecided move", pr.Name)
	}
	if f.calls != calls || f.review(reviewPeriod).Status != model.ReviewOpen {
		t.Error("F with undecided moves reached the store")
	}
}

// decideAll accepts every move.
func decideAll(t *testing.T, a *App) {
	t.Helper()
	for _, name := range []string{"Brightpath Analytics", "Harbor Point IT", "Fjord Networks", "Northwind Global"} {
		selectPartner(t, a, name)
		press(t, a, "a")
	}
}

func TestReviewFinalize(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	// Ratchet: no demotion yet.
	press(t, a, "3")
	wantText(t, a, "ERROR  Partners move down as well as up")
	press(t, a, "2")

	decideAll(t, a)
	selectPartner(t, a, "Fjord Networks")
	press(t, a, "o", "tab") // keep it at Silver
	typeText(t, a, "Nordic expansion")
	press(t, a, "enter")

	press(t, a, "F")
	s := reviewOf(a)
	if s.mode != reviewConfirm {
		t.Fatalf("F did not ask:\n%s", screenText(a))
	}
	wantText(t, a, "Finalize the 2026-Q2 review?",
		"Promotions           2", "Overrides up         1",
		"Demotions            1", "Overrides down       0",
		"Grace holds          1", "Undecided            0",
		"Gold                     4       4",
		"Silver                   5       7    +2",
		"Registered               5       3    −2",
		"y/enter finalize · n/esc cancel")
	// n cancels.
	press(t, a, "n")
	if s.mode != reviewList || f.review(reviewPeriod).Status != model.ReviewOpen {
		t.Fatal("n did not cancel")
	}
	press(t, a, "F", "y")
	r := f.review(reviewPeriod)
	if r.Status != model.ReviewFinalized || r.FinalizedBy != "dana" {
		t.Fatalf("the store's review: %s by %q", r.Status, r.FinalizedBy)
	}
	if s.mode != reviewSummary {
		t.Fatalf("no summary after finalize:\n%s", screenText(a))
	}
	wantText(t, a, "The 2026-Q2 review is finalized", "finalized 2026-07-15 09:00 by dana", "Promotions           2", "Finalized the 2026-Q2 review: 3 tier changes applied")

	// The Partners tab reloaded: Northwind is Silver, Brightpath Gold.
	press(t, a, "1")
	p := a.screens[0].(*partnersScreen)
	tiers := map[string]string{}
	for i := range p.data.rows {
		tiers[p.data.rows[i].partner.ID] = p.data.rows[i].partner.Tier
	}
	for id, want := range map[string]string{"northwind-global": "silver", "brightpath-analytics": "gold", "harbor-point-it": "silver", "fjord-networks": "silver"} {
		if tiers[id] != want {
			t.Errorf("after finalize %s is %q on the Partners tab, want %q", id, tiers[id], want)
		}
	}
	wantText(t, a, "GOLD · 4 partners", "SILVER · 7 partners", "REGISTERED · 3 partners")
	// Health ran again: the demotion answers the ratchet.
	press(t, a, "3")
	if strings.Contains(screenText(a), "ERROR  Partners move down") {
		t.Errorf("the ratchet check did not rerun after finalize:\n%s", screenText(a))
	}
	wantText(t, a, "OK     Partners move down as well as up", "1 demotion and 2 promotions")
}

func TestReviewReadOnlyAfterFinalize(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	decideAll(t, a)
	press(t, a, "F", "enter")
	press(t, a, "esc") // from the summary to the decisions
	for _, k := range []string{"a", "o", "u", "F"} {
		writes := f.writes
		press(t, a, k)
		wantText(t, a, "The 2026-Q2 review is finalized and read-only")
		s := reviewOf(a)
		if s.dialog != nil || s.mode != reviewList || f.writes != writes {
			t.Errorf("%s on a finalized review: dialog %v, mode %d, writes %d→%d", k, s.dialog != nil, s.mode, writes, f.writes)
		}
	}
	wantText(t, a, "Review 2026-Q2 · finalized 2026-07-15 · read-only", "✓ accepted")
	// The period list shows it finalized; it opens to browse.
	press(t, a, "p")
	wantText(t, a, "2026-Q2  finalized 2026-07-15 by dana · 2 promotions, 2 demotions, 0 overrides",
		"Every period that has ended is reviewed. The 2026-Q3 review can start once 2026-Q3 ends on 30 Sep 2026.")
	press(t, a, "enter")
	if s := reviewOf(a); s.mode != reviewList || s.cur.r.Status != model.ReviewFinalized {
		t.Errorf("enter on a finalized review does not browse it")
	}
	// Earlier periods are no longer offered: reviewing them on older data
	// would undo the moves just made.
	press(t, a, "p")
	if strings.Contains(screenText(a), "2026-Q1") {
		t.Errorf("the period list offers 2026-Q1 after 2026-Q2 is finalized:\n%s", screenText(a))
	}
	press(t, a, "j", "enter")
	if r := f.review(model.MustPeriod("2026-Q1")); r != nil {
		t.Error("a review of 2026-Q1 started after 2026-Q2 was finalized")
	}
}

func TestReviewResumes(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Northwind Global")
	press(t, a, "a")
	selectPartner(t, a, "Fjord Networks")
	press(t, a, "o", "tab")
	typeText(t, a, "Nordic expansion")
	press(t, a, "enter")
	press(t, a, "q")

	// A new app on the same store: the open review comes back as it was.
	b := newReviewApp(t, f, 120, 40, true)
	s := reviewOf(b)
	if s.mode != reviewList || s.cur == nil || s.cur.r.Period != reviewPeriod {
		t.Fatalf("the open review did not resume:\n%s", screenText(b))
	}
	wantText(t, b, "2 of 4 moves decided", "Review 2026-Q2 · open")
	if l := lineWith(t, b, "Northwind Global   "); !strings.Contains(l, "✓ accepted") {
		t.Errorf("Northwind after resume: %q", l)
	}
	if l := lineWith(t, b, "Fjord Networks   "); !strings.Contains(l, "overridden to Silver ↑ upward") {
		t.Errorf("Fjord after resume: %q", l)
	}
	if pr, _ := s.selectedProposal(); pr.Name != "Brightpath Analytics" {
		t.Errorf("resumed on %s, want the first undecided move", pr.Name)
	}
	// The override's reason comes back in the dialog.
	selectPartner(t, b, "Fjord Networks")
	press(t, b, "o")
	if got := s.dialog.reason(); got != "Nordic expansion" || s.dialog.tierKey() != "silver" {
		t.Errorf("dialog on an override: %q, %s", got, s.dialog.tierKey())
	}
}

func TestReviewRefreshesOnEnteringTheTab(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	// Another terminal decides.
	if _, err := f.UpdateReview(reviewPeriod, "northwind-global", func(r *model.Review) error {
		_, err := r.Accept("northwind-global", "sam", fixtureNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	press(t, a, "1", "2")
	if l := lineWith(t, a, "Northwind Global   "); !strings.Contains(l, "✓ accepted") {
		t.Errorf("entering the tab did not read the review again: %q", l)
	}
}

func TestReviewDropsStaleLoads(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	s := reviewOf(a)
	old := s.applied - 1
	send(t, a, reviewsLoadedMsg{seq: old})
	if s.cur == nil || s.open == nil || s.mode != reviewList {
		t.Error("a stale load replaced the review")
	}
}

func TestReviewWithoutStore(t *testing.T) {
	a := newLoadedApp(t, 80, 24, true)
	press(t, a, "2")
	wantText(t, a, "Reviews need the store")
	press(t, a, "enter")
	wantText(t, a, "No review store")
	checkFrame(t, a.View().Content, 80, 24)
	press(t, a, "3")
	wantText(t, a, "Health ·")
}

func TestReviewResize(t *testing.T) {
	sizes := [][2]int{{80, 24}, {120, 40}, {100, 30}, {200, 60}, {60, 20}, {40, 12}, {20, 6}}
	for _, sz := range sizes {
		w, h := sz[0], sz[1]
		f := newFake()
		a := newReviewApp(t, f, 120, 40, false)
		check := func(step string) {
			t.Helper()
			for _, d := range [][2]int{{w, h}, {w - 1, h - 1}} {
				send(t, a, tea.WindowSizeMsg{Width: d[0], Height: d[1]})
				c := a.View().Content
				lines := strings.Split(c, "\n")
				if len(lines) != d[1] {
					t.Errorf("%dx%d %s: %d lines", d[0], d[1], step, len(lines))
				}
				checkFrame(t, c, d[0], d[1])
			}
			send(t, a, tea.WindowSizeMsg{Width: w, Height: h})
		}
		check("periods")
		press(t, a, "enter")
		check("list")
		press(t, a, "h", "G")
		check("holds")
		press(t, a, "g", "o")
		check("dialog")
		press(t, a, "tab")
		typeText(t, a, strings.Repeat("a long reason ", 12))
		check("dialog typed")
		press(t, a, "esc")
		decideAll(t, a)
		press(t, a, "F")
		check("confirm")
		press(t, a, "y")
		check("summary")
		press(t, a, "3")
		check("health")
		press(t, a, "?")
		check("health help")
	}
}

func TestReviewNoColor(t *testing.T) {
	f := newFake()
	a := newReviewApp(t, f, 80, 24, true)
	views := map[string]string{"periods": a.View().Content}
	press(t, a, "enter")
	views["list"] = a.View().Content
	press(t, a, "o")
	views["dialog"] = a.View().Content
	press(t, a, "esc")
	decideAll(t, a)
	press(t, a, "F")
	views["confirm"] = a.View().Content
	press(t, a, "y")
	views["summary"] = a.View().Content
	press(t, a, "3")
	views["health"] = a.View().Content
	for name, v := range views {
		if strings.ContainsRune(v, '\x1b') {
			t.Errorf("%s: NO_COLOR output holds an escape code", name)
		}
	}
}

func TestReviewHelp(t *testing.T) {
	a := startReview(t, newFake())
	wantText(t, a, "a accept", "o override", "u undo", "F finalize", "h show holds")
	press(t, a, "?")
	wantText(t, a, "summary", "periods", "page down", "go to tab", "next tab")
	press(t, a, "?", "o")
	wantText(t, a, "enter save", "esc cancel")
}

func TestReviewResizeShowsWhatIsAbove(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	a.Update(windowSize(80, 24))
	selectPartner(t, a, "Northwind Global")
	a.Update(windowSize(60, 15))
	a.Update(windowSize(100, 30))
	wantText(t, a, "PROMOTE · 2", "Brightpath Analytics", "Harbor Point IT", "› Northwind Global")
}

func TestReviewDiscard(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Northwind Global")
	press(t, a, "a")
	press(t, a, "D")
	wantText(t, a, "Discard the 2026-Q2 review?", "every decision made so far (1) are deleted", "y/enter discard")
	press(t, a, "n")
	if f.review(reviewPeriod) == nil {
		t.Fatal("n discarded the review")
	}
	wantText(t, a, "Kept the review")
	press(t, a, "D", "y")
	if f.review(reviewPeriod) != nil {
		t.Fatal("y did not discard the review")
	}
	if s := reviewOf(a); s.mode != reviewPeriods || s.open != nil {
		t.Errorf("after discard: mode %d, open %v", s.mode, s.open != nil)
	}
	wantText(t, a, "Discarded the 2026-Q2 review", "No review is open")
	// It starts again, with no decisions.
	press(t, a, "enter")
	if r := f.review(reviewPeriod); r == nil || len(r.Decisions) != 0 {
		t.Errorf("restart after discard: %+v", r)
	}
}

func TestAcceptMovesToTheNextUndecided(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Brightpath Analytics")
	press(t, a, "a")
	if pr, _ := reviewOf(a).selectedProposal(); pr.Name != "Harbor Point IT" {
		t.Fatalf("after accepting Brightpath the cursor is on %q, want the next pending move", pr.Name)
	}
	press(t, a, "a", "a")
	if n := len(reviewOf(a).cur.undecided); n != 1 {
		t.Fatalf("%d moves undecided after three accepts, want 1", n)
	}
	if pr, _ := reviewOf(a).selectedProposal(); f.review(reviewPeriod).Decision(pr.Partner).Kind != model.Pending {
		t.Errorf("the cursor rests on %q, which is decided", pr.Name)
	}
}

// TestReviewDecisionIsOneSmallWrite: a decision is one call to the store,
// for the one partner; the review shows it without being read again.
func TestReviewDecisionIsOneSmallWrite(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Northwind Global")
	calls, reads := f.calls, f.reads
	press(t, a, "a")
	if f.calls != calls+1 {
		t.Errorf("an accept made %d store calls, want the one write", f.calls-calls)
	}
	if l := lineWith(t, a, "Northwind Global   "); !strings.Contains(l, "✓ accepted") {
		t.Errorf("row after accept: %q", l)
	}
	s := reviewOf(a)
	want := f.review(reviewPeriod)
	if decided, total := want.Progress(); s.cur.decided != decided || s.cur.total != total ||
		!reflect.DeepEqual(s.cur.sum, want.Summary(f.prog)) || len(s.cur.undecided) != len(want.Undecided()) {
		t.Errorf("counts kept in place: %d of %d, %d undecided; the store's: %d of %d, %d", s.cur.decided, s.cur.total, len(s.cur.undecided), decided, total, len(want.Undecided()))
	}
	selectPartner(t, a, "Northwind Global")
	press(t, a, "u")
	want = f.review(reviewPeriod)
	if !reflect.DeepEqual(s.cur.sum, want.Summary(f.prog)) || len(s.cur.undecided) != len(want.Undecided()) || s.cur.decided != 0 {
		t.Errorf("after undo: %d decided, %d undecided", s.cur.decided, len(s.cur.undecided))
	}
	if f.reads != reads {
		t.Errorf("the evidence on screen was read again (%d reads)", f.reads-reads)
	}
}

// TestReviewEvidenceReadOnDemand: the review comes without its evidence;
// the tab reads it for the rows around the cursor and shows it once read.
func TestReviewEvidenceReadOnDemand(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	s := reviewOf(a)
	if f.reads == 0 {
		t.Fatal("the evidence of the first proposal was never read")
	}
	for _, pr := range s.cur.r.Proposals {
		if pr.Evaluation != nil || pr.Explanation != "" {
			t.Fatalf("%s: the review handed to the app carries its evidence or explanation", pr.Name)
		}
	}
	selectPartner(t, a, "Northwind Global")
	full, _ := f.reviews[s.cur.r.Period].Proposal("northwind-global")
	if len(full.Explanation) < 20 {
		t.Fatalf("no explanation to look for: %q", full.Explanation)
	}
	wantText(t, a, "Gold criteria (current tier)", "$0 of $400,000", full.Explanation[:20])

	// Forgotten (another review, or too much kept): read again, and shown
	// only once read.
	s.ev = evidenceCache{}
	_, cmd := a.Update(keyMsg("k"))
	wantText(t, a, "Reading the evidence…")
	if cmd == nil {
		t.Fatal("no read of the evidence")
	}
	run(t, a, cmd)
	if strings.Contains(screenText(a), "Reading the evidence…") {
		t.Errorf("the evidence read does not show:\n%s", screenText(a))
	}
	reads := f.reads
	press(t, a, "j")
	if f.reads != reads {
		t.Error("evidence already read was read again")
	}
	wantText(t, a, "Gold criteria (current tier)")

	// A failed read says so, and is not tried again at every key.
	f.evErr = errors.New("store is locked by another process")
	s.ev = evidenceCache{}
	press(t, a, "k")
	wantText(t, a, "Could not read the evidence: store is locked by another process")
	reads = f.reads
	press(t, a, "j", "k")
	if f.reads != reads {
		t.Errorf("the failed read was tried again %d times", f.reads-reads)
	}
	// A moment later the store answers again: the next key asks again.
	f.evErr = nil
	later := s.now().Add(3 * time.Second)
	s.now = func() time.Time { return later }
	press(t, a, "j")
	if f.reads == reads {
		t.Error("the failed read was never tried again")
	}
	if strings.Contains(screenText(a), "Could not read the evidence") {
		t.Errorf("the evidence still failed after the store recovered:\n%s", screenText(a))
	}
}

// TestEscWhileSaving: esc cannot take back a write already under way, so
// the dialog stays until the store answers and never says "cancelled".
func TestEscWhileSaving(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	selectPartner(t, a, "Northwind Global")
	press(t, a, "o", "tab")
	typeText(t, a, "renewal signed")
	_, save := a.Update(keyMsg("enter"))
	press(t, a, "esc")
	if reviewOf(a).dialog == nil || strings.Contains(screenText(a), "cancelled") {
		t.Fatalf("esc while saving closed the dialog or said cancelled:\n%s", screenText(a))
	}
	run(t, a, save)
	if d, ok := f.decision(reviewPeriod, "northwind-global"); !ok || d.Kind != model.Overridden {
		t.Fatalf("the override was not saved: %+v", d)
	}
	wantText(t, a, "Overrode Northwind Global to Gold")

	fc := newFakeCalendar()
	c := newCalendarApp(t, fc, 120, 40, true)
	press(t, c, "j", "a")
	typeText(t, c, "harb")
	_, assign := c.Update(keyMsg("enter"))
	press(t, c, "esc")
	if calendarOf(c).picker == nil {
		t.Fatal("esc while assigning closed the picker")
	}
	run(t, c, assign)
	if fc.assigns != 1 || calendarOf(c).picker != nil {
		t.Errorf("after the answer: %d assignments, picker open %v", fc.assigns, calendarOf(c).picker != nil)
	}
}

// TestPeriodsBeforeRecordedMovesNotOffered: review moves on record in the
// history (imported from before the tool) end the periods that may be
// started, as model.CheckReviewPeriod rules; a roster's "set" does not.
func TestPeriodsBeforeRecordedMovesNotOffered(t *testing.T) {
	f := newFake()
	f.snap.History["fjord-networks"] = append(f.snap.History["fjord-networks"],
		model.History{Partner: "fjord-networks", From: "silver", To: "gold", Period: model.MustPeriod("2026-Q3"), Kind: model.Set},
		model.History{Partner: "fjord-networks", From: "silver", To: "registered", Period: model.MustPeriod("2026-Q1"), Kind: model.Demote})
	a := newReviewApp(t, f, 120, 40, true)
	wantText(t, a, "› 2026-Q2  not reviewed · the last complete quarter")
	for _, p := range []string{"2026-Q1", "2025-Q4"} {
		if strings.Contains(screenText(a), p) {
			t.Errorf("%s is offered though the 2026-Q1 review's moves are on record:\n%s", p, screenText(a))
		}
	}
}

// TestProposalWithoutEvidence: a proposal migrated from the first layout
// may have no evidence; its explanation still shows, and the tab says so
// rather than reading for ever.
func TestProposalWithoutEvidence(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	s := reviewOf(a)
	stored := f.reviews[s.cur.r.Period]
	i := slices.IndexFunc(stored.Proposals, func(pr model.Proposal) bool { return pr.Partner == "northwind-global" })
	stored.Proposals[i].Evaluation = nil
	s.ev = evidenceCache{}
	selectPartner(t, a, "Northwind Global")
	want := stored.Proposals[i].Explanation
	wantText(t, a, "No evidence was kept for this proposal.", want[:20])
	if strings.Contains(screenText(a), "Reading the evidence…") {
		t.Errorf("still reading:\n%s", screenText(a))
	}
}

// TestFinalizeReviewRestartedElsewhere: another terminal discarded the
// review on screen and started the period's again, all decided; F, y here
// finalizes that one, and shows it, not an empty review.
func TestFinalizeReviewRestartedElsewhere(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	decideAll(t, a)
	f.mu.Lock()
	r := cloneReview(f.reviews[reviewPeriod])
	r.StartedAt, r.StartedBy = r.StartedAt.Add(time.Hour), "sam"
	f.reviews[reviewPeriod] = r
	f.mu.Unlock()
	press(t, a, "F", "y")
	s := reviewOf(a)
	if got := len(s.cur.r.Proposals); got != len(r.Proposals) {
		t.Errorf("the finalized review on screen holds %d proposals, the store's %d", got, len(r.Proposals))
	}
	wantText(t, a, "The 2026-Q2 review is finalized", "Promotions           2")
}

// TestFinalizeKeepsLastWeeksHours: the rows worked out again after a
// finalize keep the calendar's last-week column.
func TestFinalizeKeepsLastWeeksHours(t *testing.T) {
	f, cal := newFake(), newFakeCalendar()
	opts := reviewOptions(f, true)
	opts.Calendar, opts.CalendarConfig = cal, calendarOptions(cal, true).CalendarConfig
	a := loadedApp(t, opts, 120, 40, "2", "enter")
	decideAll(t, a)
	press(t, a, "F", "y")
	if s := reviewOf(a); s.cur.r.Status != model.ReviewFinalized {
		t.Fatalf("not finalized:\n%s", screenText(a))
	}
	press(t, a, "1")
	wantText(t, a, "Last wk", "GOLD · 4 partners")
	if l := lineWith(t, a, "Cobalt Consulting "); !strings.Contains(l, "4.0/") {
		t.Errorf("Cobalt's row after the finalize: %q, want its 4.0 hours", l)
	}
}
