package ui

import (
	"encoding/csv"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// payloads are issue 7's hostile texts: each hides an escape, a control or
// a bidi override in clean text s, and safetext.Clean gives s back.
var payloads = []struct {
	name string
	wrap func(s string) string
}{
	{"OSC 0 title", func(s string) string { return s[:3] + "\x1b]0;pwned\x07" + s[3:] }},
	{"OSC 8 hyperlink", func(s string) string { return "\x1b]8;;https://evil.example\x1b\\" + s + "\x1b]8;;\x1b\\" }},
	{"OSC 52 clipboard", func(s string) string { return s + "\x1b]52;c;cm0gLXJmIH4K\x07" }},
	{"CSI 2J", func(s string) string { return s[:2] + "\x1b[2J\x1b[H" + s[2:] }},
	{"bare CR", func(s string) string {
		if strings.Contains(s, " ") {
			return strings.Replace(s, " ", "\r", 1) // cleaned to a space
		}
		return s + "\r"
	}},
	{"C1 CSI", func(s string) string { return s[:3] + "\u009b2J" + s[3:] }},
	{"RLO", func(s string) string { return s[:3] + "\u202e" + s[3:] }},
}

// hostilePartner writes a payload into every text field of a partner the
// app draws: name, manager, alias, domain, and the reason and author of a
// history entry. Text that skipped cleaning also matches nothing (a
// meeting, a manager's capacity), so the clean alias "Brightpath" stays to
// match its meeting, and the manager is one the program does not know:
// what differs from the clean fixture is then the drawing alone.
func hostilePartner(snap *store.Snapshot, id string, wrap func(string) string) {
	i := slices.IndexFunc(snap.Partners, func(p model.Partner) bool { return p.ID == id })
	p := &snap.Partners[i]
	p.Name, p.Manager = wrap(p.Name), wrap("Alex Morgan")
	p.Aliases = []string{"Brightpath", wrap("BP Analytics")}
	p.Domains = []string{wrap(p.Domains[0])}
	snap.History[id] = []model.History{{Partner: id, From: "registered", To: "registered", Period: model.MustPeriod("2025-Q4"),
		Kind: model.Hold, Reason: wrap("Held: sourced pipeline under the Silver minimum."), By: wrap("Dana Reyes"), At: date("2026-01-10")}}
}

// frames renders the screens that show the hostile fields, at 120×40: the
// list, the partner's card, and the Calendar tab with its unmatched
// meetings.
func frames(t *testing.T, f *fakeCalendar, noColor bool) map[string]string {
	t.Helper()
	a := newCalendarApp(t, f, 120, 40, noColor)
	out := map[string]string{"calendar": a.View().Content}
	press(t, a, "1")
	out["list"] = a.View().Content
	press(t, a, "/")
	typeText(t, a, "brightpath")
	press(t, a, "enter", "enter")
	out["card"] = a.View().Content
	press(t, a, "esc", "esc", "4", "j", "a")
	out["assign"] = a.View().Content
	// Every hostile field is on screen, so that a clean frame means it
	// was cleaned, not left out.
	for view, says := range map[string][]string{
		"list":     {"Brightpath Analytics", "Alex M."},
		"card":     {"Brightpath Analytics", "manager Alex Morgan", "domains brightpath.example", "aka Brightpath, BP Analytics", "Held: sourced pipeline", "by Dana Reyes"},
		"calendar": {"Coffee with Orion Data"},
		"assign":   {"Coffee with Orion Data", "enter assigns"},
	} {
		for _, s := range says {
			if got := ansi.Strip(out[view]); !strings.Contains(got, s) {
				t.Fatalf("%s does not show %q:\n%s", view, s, got)
			}
		}
	}
	return out
}

// hostileCalendar is the calendar fixture with a payload in every text of
// Brightpath Analytics and in an unmatched meeting's summary, or the clean
// fixture when wrap is nil.
func hostileCalendar(wrap func(string) string) *fakeCalendar {
	f := newFakeCalendar()
	if wrap == nil {
		wrap = func(s string) string { return s }
	}
	hostilePartner(f.snap, "brightpath-analytics", wrap)
	i := slices.IndexFunc(f.meetings, func(m model.Meeting) bool { return m.Summary == "Coffee with Orion Data" })
	f.meetings[i].Summary = wrap(f.meetings[i].Summary)
	return f
}

// TestHostileTextNeverReachesTheScreen: text that skipped the import's
// cleaning (here the snapshot is handed to the app as it is) is cleaned
// where it is drawn: no escape but the app's own SGR styling, no control,
// no bidi override, and the frame is the frame of the clean text, cell for
// cell.
func TestHostileTextNeverReachesTheScreen(t *testing.T) {
	for _, noColor := range []bool{true, false} {
		want := frames(t, hostileCalendar(nil), noColor)
		for _, pl := range payloads {
			t.Run(fmt.Sprintf("%s/nocolor=%v", pl.name, noColor), func(t *testing.T) {
				got := frames(t, hostileCalendar(pl.wrap), noColor)
				for _, view := range []string{"list", "card", "calendar", "assign"} {
					checkNoEscape(t, view, got[view])
					sameLayout(t, view, got[view], want[view])
				}
			})
		}
	}
}

// checkNoEscape fails on any escape sequence but SGR, any control
// character but the line feed, and any bidi control in a frame.
func checkNoEscape(t *testing.T, view, frame string) {
	t.Helper()
	for i, line := range strings.Split(stripSGR(frame), "\n") {
		for _, r := range line {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Errorf("%s: line %d holds %U: %q", view, i+1, r, line)
				break
			}
		}
	}
}

// stripSGR removes the SGR sequences (ESC [ digits ; : m) the app's
// styles write, and nothing else.
func stripSGR(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return b.String() + s
		}
		j := i + 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
			j++
		}
		if j == len(s) || s[j] != 'm' {
			b.WriteString(s[:j]) // not SGR: left for checkNoEscape to find
			s = s[j:]
			continue
		}
		b.WriteString(s[:i])
		s = s[j+1:]
	}
}

// sameLayout fails when a frame differs from the clean one, naming the
// first line that does and both widths.
func sameLayout(t *testing.T, view, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(g) != len(w) {
		t.Errorf("%s: %d lines, the clean frame has %d", view, len(g), len(w))
		return
	}
	for i := range g {
		if g[i] != w[i] {
			t.Errorf("%s: line %d differs from the clean frame's (%d cells, clean %d):\n got %q\nwant %q",
				view, i+1, ansi.StringWidth(g[i]), ansi.StringWidth(w[i]), ansi.Strip(g[i]), ansi.Strip(w[i]))
			return
		}
	}
}

// TestHostileRosterImport: names imported through the roster importer into
// a real store come out of it clean, and the app draws them as it draws
// clean names.
func TestHostileRosterImport(t *testing.T) {
	render := func(t *testing.T, wrap func(string) string) string {
		t.Helper()
		st, err := store.Create(filepath.Join(t.TempDir(), "partnertiers.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var roster strings.Builder
		w := csv.NewWriter(&roster)
		w.Write([]string{"id", "name", "track", "manager", "domains", "aliases", "tier", "joined"})
		for _, p := range fixtureSnapshot().Partners {
			name, manager, alias := p.Name, p.Manager, strings.Join(p.Aliases, ";")
			if p.ID == "brightpath-analytics" {
				name, manager, alias = wrap(name), wrap(manager), wrap(alias)
			}
			w.Write([]string{p.ID, name, p.Track, manager, strings.Join(p.Domains, ";"), alias, p.Tier, p.Joined.Format(time.DateOnly)})
		}
		w.Flush()
		if _, err := st.ImportPartners("roster.csv", []byte(roster.String()), fixtureProgram(), store.ImportOptions{Now: fixtureNow}); err != nil {
			t.Fatalf("import: %v\n%s", err, roster.String())
		}
		opts := fixtureOptions(true)
		opts.Load = st.Snapshot
		t.Setenv("HOME", fixtureHome)
		a := New(opts)
		send(t, a, tea.WindowSizeMsg{Width: 120, Height: 40})
		run(t, a, a.Init())
		list := a.View().Content
		press(t, a, "/")
		typeText(t, a, "brightpath")
		press(t, a, "enter", "enter")
		return list + "\n" + a.View().Content
	}
	want := render(t, func(s string) string { return s })
	if !strings.Contains(want, "Brightpath Analytics") || !strings.Contains(want, "aka Brightpath") {
		t.Fatalf("the clean roster does not show Brightpath Analytics:\n%s", want)
	}
	for _, pl := range payloads {
		t.Run(pl.name, func(t *testing.T) {
			got := render(t, pl.wrap)
			checkNoEscape(t, "list and card", got)
			sameLayout(t, "list and card", got, want)
		})
	}
}

// TestScreenGuard: a text no field cleans, drawn as it is stored (the key
// of a tier the program lacks stands for its name), is still cleaned by
// the frame's last guard.
func TestScreenGuard(t *testing.T) {
	f := newFakeCalendar()
	i := slices.IndexFunc(f.snap.Partners, func(p model.Partner) bool { return p.ID == "brightpath-analytics" })
	f.snap.Partners[i].Tier = "plat\x1b]0;pwned\x07inum\u202e"
	a := newCalendarApp(t, f, 120, 40, true)
	press(t, a, "1", "/")
	typeText(t, a, "brightpath")
	press(t, a, "enter", "enter")
	got := a.View().Content
	if !strings.Contains(got, "platinum") {
		t.Fatalf("the card does not show the tier key:\n%s", got)
	}
	checkNoEscape(t, "card", got)
}

// TestFilterSearchesWhatIsShown: the filter finds a partner by its name as
// drawn, never by what a payload hides in it.
func TestFilterSearchesWhatIsShown(t *testing.T) {
	for _, pl := range payloads {
		t.Run(pl.name, func(t *testing.T) {
			a := newCalendarApp(t, hostileCalendar(pl.wrap), 120, 40, true)
			press(t, a, "1", "/")
			typeText(t, a, "brightpath analytics")
			if got := screenText(a); !strings.Contains(got, "Brightpath Analytics") || strings.Contains(got, "No partner matches") {
				t.Errorf("the filter does not find the name as shown:\n%s", got)
			}
			press(t, a, "esc", "/")
			typeText(t, a, "pwned")
			if got := screenText(a); !strings.Contains(got, "No partner matches") {
				t.Errorf("the filter finds hidden text:\n%s", got)
			}
		})
	}
}
