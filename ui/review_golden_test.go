package ui

import (
	"fmt"
	"testing"
)

// TestReviewGolden keeps the Review tab (the period list, the proposals,
// the override dialog, the finalize confirmation and the summary) and the
// Health tab at 80×24 and 120×40 in testdata/*.golden (ANSI stripped).
// Rewrite with go test ./ui -update, then read the files.
func TestReviewGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		w, h := sz[0], sz[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			shot := func(a *App, name string) {
				t.Helper()
				checkFrame(t, a.View().Content, w, h)
				golden(t, fmt.Sprintf("%s_%dx%d", name, w, h), screenText(a))
			}
			f := newFake()
			a := newReviewApp(t, f, w, h, false)
			shot(a, "review_periods")

			press(t, a, "enter")
			selectPartner(t, a, "Brightpath Analytics")
			press(t, a, "a")
			selectPartner(t, a, "Fjord Networks")
			press(t, a, "o", "tab")
			typeText(t, a, "Three new certified reps start in August")
			press(t, a, "enter")
			selectPartner(t, a, "Northwind Global")
			shot(a, "review")

			press(t, a, "o", "tab")
			typeText(t, a, "Global renewal signed")
			shot(a, "override")

			press(t, a, "esc")
			press(t, a, "3")
			shot(a, "health")

			press(t, a, "2")
			for _, name := range []string{"Harbor Point IT", "Northwind Global"} {
				selectPartner(t, a, name)
				press(t, a, "a")
			}
			press(t, a, "F")
			shot(a, "finalize")

			press(t, a, "y")
			shot(a, "summary")
		})
	}
}
