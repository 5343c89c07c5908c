package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

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
