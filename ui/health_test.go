package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

func TestHealthWorstFirst(t *testing.T) {
	a := newReviewApp(t, newFake(), 120, 40, true)
	press(t, a, "3")
	h := healthOf(a)
	if !h.loaded || len(h.findings) == 0 {
		t.Fatal("the checks did not run")
	}
	for i := 1; i < len(h.findings); i++ {
		if h.findings[i].Severity > h.findings[i-1].Severity {
			t.Errorf("finding %d (%s) is worse than the one before", i, h.findings[i].Check)
		}
	}
	got := screenText(a)
	wantText(t, a,
		"Health · 1 error · 1 warning · 8 ok",
		"ERROR  Partners move down as well as up",
		"No demotion in the last twelve months (0 promotions): tiers only ratchet up.",
		"Fix: run the review and accept the demotions the evidence supports",
		"WARN   The top tier stays exclusive",
		"OK     Few tiers",
		"checked 2026-07-15 09:00",
	)
	e, w, o := strings.Index(got, "ERROR"), strings.Index(got, "WARN"), strings.Index(got, "OK  ")
	if e >= w || w >= o {
		t.Errorf("badges out of order: error %d, warn %d, ok %d", e, w, o)
	}
}

func TestHealthCountsTheReviews(t *testing.T) {
	f := newFake()
	a := startReview(t, f)
	for _, name := range []string{"Fjord Networks", "Northwind Global"} {
		selectPartner(t, a, name)
		press(t, a, "o", "tab")
		typeText(t, a, "strategic")
		press(t, a, "enter")
	}
	// Entering the tab runs the checks again. An open review is still
	// changing: the overrides check waits for it to be finalized.
	press(t, a, "3")
	wantText(t, a, "OK     Overrides go both ways", "No finalized review yet")

	// Decide the rest and finalize: both overrides went up.
	press(t, a, "2")
	for _, name := range []string{"Brightpath Analytics", "Harbor Point IT"} {
		selectPartner(t, a, name)
		press(t, a, "a")
	}
	press(t, a, "F", "y")
	if r := f.review(reviewPeriod); r.Status != model.ReviewFinalized {
		t.Fatalf("the review did not finalize:\n%s", screenText(a))
	}
	press(t, a, "3")
	wantText(t, a, "WARN   Overrides go both ways", "2026-Q2 review: 2 overrides, 2 up, 0 down")
}

func TestHealthWithoutReviews(t *testing.T) {
	a := newLoadedApp(t, 80, 24, true)
	press(t, a, "3")
	wantText(t, a, "ERROR  Partners move down as well as up")
	press(t, a, "G")
	wantText(t, a, "Tiers promise no more hours than the team has")
	if strings.Contains(screenText(a), "↓ more below") {
		t.Error("G does not reach the last finding")
	}
	press(t, a, "g")
	if healthOf(a).offset != 0 {
		t.Error("g does not go back to the top")
	}
	checkFrame(t, a.View().Content, 80, 24)
}

// brokenReviews fails to list its reviews.
type brokenReviews struct{ *fakeReviews }

func (brokenReviews) ReviewInfos(*model.Program) ([]store.ReviewInfo, error) {
	return nil, errors.New("store is locked by another process")
}

func TestHealthReviewsUnreadable(t *testing.T) {
	f := newFake()
	opts := reviewOptions(f, true)
	opts.Reviews = brokenReviews{f}
	t.Setenv("HOME", fixtureHome)
	a := New(opts)
	send(t, a, keyMsg("3")) // before the load: nothing happens
	send(t, a, windowSize(80, 24))
	run(t, a, a.Init())
	press(t, a, "3")
	wantText(t, a, "Could not read the reviews, checked without them: store is locked", "ERROR  Partners move down")
}

func TestHealthDropsStaleResults(t *testing.T) {
	a := newReviewApp(t, newFake(), 80, 24, true)
	h := healthOf(a)
	before := len(h.findings)
	send(t, a, healthMsg{seq: h.seq - 1})
	if len(h.findings) != before {
		t.Error("a stale result replaced the findings")
	}
}

// TestHealthCountsLastWeek: with a calendar, the app's Health tab runs the
// alignment check as `partnertiers check` does.
func TestHealthCountsLastWeek(t *testing.T) {
	a := newCalendarApp(t, newFakeCalendar(), 120, 40, true)
	press(t, a, "3")
	wantText(t, a, "WARN   The team's time follows the tiers", "2026-W28 scores 53 of 100 (minimum 70)", "Cobalt Consulting gets 4 h against the 0.25 h its tier buys")
}
