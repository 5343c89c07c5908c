package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestGolden keeps the Partners tab and Northwind's detail at 80×24 and
// 120×40 in testdata/*.golden (ANSI stripped). Rewrite with
// go test ./ui -update, then read the files.
func TestGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		w, h := sz[0], sz[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			a := newLoadedApp(t, w, h, false)
			checkFrame(t, a.View().Content, w, h)
			golden(t, fmt.Sprintf("partners_%dx%d", w, h), screenText(a))

			press(t, a, "/")
			typeText(t, a, "north")
			press(t, a, "enter")
			checkFrame(t, a.View().Content, w, h)
			golden(t, fmt.Sprintf("detail_%dx%d", w, h), screenText(a))
		})
	}
}

// TestEndToEnd runs the real program: type /north, enter, see the detail.
func TestEndToEnd(t *testing.T) {
	t.Setenv("HOME", fixtureHome)
	tm := teatest.NewTestModel(t, New(fixtureOptions(false)),
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(
			tea.WithColorProfile(colorprofile.TrueColor),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		),
	)
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			return strings.Contains(ansi.Strip(string(b)), s)
		}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	wait("Northwind")
	// No wait between the filter and enter: the renderer sends only what
	// changed ("1" over "4" of "4 of 4 partners"), so a frame's text may
	// never appear whole in the output; the keys are handled in order, and
	// the filter applies within Update.
	tm.Type("/north")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait("criterion")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})

	final := tm.FinalModel(t, teatest.WithFinalTimeout(30*time.Second))
	got := ansi.Strip(final.View().Content)
	if !strings.Contains(got, "Misses every Gold criterion") {
		t.Errorf("final screen:\n%s", got)
	}
	golden(t, "e2e_northwind_80x24", got)
}
