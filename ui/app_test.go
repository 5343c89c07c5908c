package ui

import (
	"errors"
	"image/color"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

func TestLoadingThenPartners(t *testing.T) {
	t.Setenv("HOME", fixtureHome)
	a := New(fixtureOptions(false))
	send(t, a, tea.WindowSizeMsg{Width: 120, Height: 40})
	if got := screenText(a); !strings.Contains(got, "Loading…") {
		t.Fatalf("before the load, want Loading…, got:\n%s", got)
	}
	run(t, a, a.Init())
	got := screenText(a)
	for _, want := range []string{
		"Acme Cloud Partner Program",
		"2026-Q2",
		"~/.local/share/partnertiers/partnertiers.db",
		"1 Partners",
		"GOLD · 4 partners · 3 h/wk · $25,000 MDF/qtr · reg priority 3 · 20% margin",
		"SILVER · 4 partners · 1 h/wk · $5,000 MDF/qtr · reg priority 2 · 15% margin",
		"REGISTERED · 4 partners · 0.25 h/wk · no MDF · reg priority 1 · 10% margin",
		"Northwind Global",
		"12 partners · sort: name",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Lakeside Retail") {
		t.Error("an exited partner is listed")
	}
	// Sections run highest tier first.
	if g, s, r := strings.Index(got, "GOLD"), strings.Index(got, "SILVER"), strings.Index(got, "REGISTERED"); g >= s || s >= r {
		t.Errorf("sections out of order: gold %d, silver %d, registered %d", g, s, r)
	}
}

func TestLoadError(t *testing.T) {
	opts := fixtureOptions(false)
	opts.Load = func() (*store.Snapshot, error) { return nil, errors.New("store is locked by another process") }
	a := New(opts)
	send(t, a, tea.WindowSizeMsg{Width: 80, Height: 24})
	run(t, a, a.Init())
	got := screenText(a)
	if !strings.Contains(got, "Could not load the store: store is locked by another process") {
		t.Errorf("error not shown:\n%s", got)
	}
	if !quits(press(t, a, "q")) {
		t.Error("q does not quit after an error")
	}
}

func TestMarkers(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	lines := strings.Split(screenText(a), "\n")
	find := func(name string) string {
		for _, l := range lines {
			if strings.Contains(l, name) {
				return l
			}
		}
		t.Fatalf("no line for %s", name)
		return ""
	}
	for name, mark := range map[string]string{
		"Brightpath Analytics": "▲", "Harbor Point IT": "▲",
		"Northwind Global": "▼", "Fjord Networks": "▼",
		"Evergreen Cloud Partners": " ", "Cobalt Consulting": " ",
	} {
		l := find(name)
		if got := string([]rune(l)[1]); got != mark {
			t.Errorf("%s: marker %q, want %q in %q", name, got, mark, l)
		}
	}
	if l := find("Brightpath Analytics"); !strings.Contains(l, "$500k") || !strings.Contains(l, "Priya Natarajan") || !strings.Contains(l, "Jan 2025") {
		t.Errorf("Brightpath row lacks pipeline, manager or since: %q", l)
	}
}

func TestFilter(t *testing.T) {
	tests := []struct {
		name  string
		typed string
		want  []string
		not   []string
		shown int
	}{
		{"name", "north", []string{"Northwind Global", "1 of 12 partners", "GOLD · 1 of 4 partners"}, []string{"Brightpath", "SILVER"}, 1},
		{"upper case", "NORTH", []string{"Northwind Global"}, []string{"Brightpath"}, 1},
		{"domain", "nwglobal", []string{"Northwind Global"}, nil, 1},
		{"alias", "brightpath", []string{"Brightpath Analytics"}, []string{"Northwind"}, 1},
		{"several", "ar", []string{"Harbor Point IT", "Kestrel Partners", "Evergreen Cloud Partners"}, []string{"Northwind", "Granite"}, 3},
		{"none", "zzz", []string{"No partner matches “zzz”", "0 of 12 partners"}, []string{"GOLD"}, 0},
		{"q and digits are text", "q1", []string{"0 of 12"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newLoadedApp(t, 120, 40, false)
			press(t, a, "/")
			typeText(t, a, tt.typed)
			p := a.screens[0].(*partnersScreen)
			if p.shown != tt.shown {
				t.Errorf("shown %d, want %d", p.shown, tt.shown)
			}
			if !p.input.Focused() {
				t.Error("the filter lost focus while typing")
			}
			got := screenText(a)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("unexpected %q in:\n%s", w, got)
				}
			}
		})
	}
}

func TestFilterNarrowsAndWidens(t *testing.T) {
	a := newLoadedApp(t, 120, 40, false)
	p := a.screens[0].(*partnersScreen)
	press(t, a, "/")
	typeText(t, a, "n")
	wide := p.shown
	typeText(t, a, "or")
	if p.shown >= wide || p.shown == 0 {
		t.Fatalf("narrowing: %d then %d", wide, p.shown)
	}
	press(t, a, "backspace", "backspace")
	if p.shown != wide {
		t.Errorf("after backspaces %d shown, want %d again", p.shown, wide)
	}
	press(t, a, "esc")
	if p.shown != 12 || p.input.Focused() || p.input.Value() != "" {
		t.Errorf("esc: shown %d, focused %v, value %q", p.shown, p.input.Focused(), p.input.Value())
	}
}

func TestNorthwindFlow(t *testing.T) {
	a := newLoadedApp(t, 80, 24, false)
	p := a.screens[0].(*partnersScreen)
	press(t, a, "/")
	typeText(t, a, "north")
	got := screenText(a)
	if !strings.Contains(got, "Northwind Global") || strings.Contains(got, "Evergreen") {
		t.Fatalf("/north does not narrow to Northwind:\n%s", got)
	}
	// Enter keeps the filter and, as only one partner matches, opens it.
	press(t, a, "enter")
	if p.detail == nil {
		t.Fatal("enter did not open the partner")
	}
	got = screenText(a)
	for _, want := range []string{"Northwind Global", "Gold since 2023-04-05", "Misses every Gold criterion", "Gold is the top tier", "▼ Earns Registered", "Reseller track", "Dana Reyes", "northwind.example"} {
		if !strings.Contains(got, want) {
			t.Errorf("detail lacks %q:\n%s", want, got)
		}
	}
	// q quits from the detail: no input has focus.
	// esc goes back to the list, the filter kept.
	press(t, a, "esc")
	if p.detail != nil {
		t.Fatal("esc did not close the detail")
	}
	got = screenText(a)
	if !strings.Contains(got, "/ north") || !strings.Contains(got, "1 of 12 partners") {
		t.Errorf("the filter was not kept:\n%s", got)
	}
	// esc again clears the filter and keeps Northwind selected.
	press(t, a, "esc")
	if p.shown != 12 {
		t.Errorf("esc in the list did not clear the filter: %d shown", p.shown)
	}
	if r := p.selected(); r < 0 || p.data.rows[r].name() != "Northwind Global" {
		t.Errorf("cursor left Northwind after clearing the filter")
	}
}

func TestFilterEnterWithSeveral(t *testing.T) {
	a := newLoadedApp(t, 120, 40, false)
	p := a.screens[0].(*partnersScreen)
	press(t, a, "/")
	typeText(t, a, "ar")
	press(t, a, "enter")
	if p.detail != nil || p.input.Focused() {
		t.Fatalf("enter with several matches: detail %v, focused %v", p.detail != nil, p.input.Focused())
	}
	press(t, a, "j", "enter")
	if p.detail == nil {
		t.Fatal("enter in the list did not open")
	}
	if !strings.Contains(screenText(a), p.detail.r.name()) {
		t.Error("detail does not show the partner's name")
	}
}

func TestBrightpathDetail(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	press(t, a, "/")
	typeText(t, a, "brightpath")
	press(t, a, "enter")
	got := screenText(a)
	for _, want := range []string{
		"Registered is the entry tier",
		"Meets every Silver criterion",
		"▲ Earns Gold",
		"Next review: Earned Gold",
		"Employees", "size: not counted",
		"Sourced pipeline", "$500,000",
		"No tier changes recorded",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q:\n%s", want, got)
		}
	}
}

func TestPartialMiss(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	press(t, a, "/")
	typeText(t, a, "fjord")
	press(t, a, "enter")
	got := screenText(a)
	for _, want := range []string{"✗ Misses Silver on sourced pipeline $30,000 of $100,000.", "override by Priya Natarajan", "Strategic logo"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q:\n%s", want, got)
		}
	}
}

func TestSortCycles(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	p := a.screens[0].(*partnersScreen)
	order := func(names ...string) {
		t.Helper()
		got := screenText(a)
		last := -1
		for _, n := range names {
			i := strings.Index(got, n)
			if i < last {
				t.Errorf("sort %s: %s out of order in:\n%s", p.sort, n, got)
			}
			last = i
		}
	}
	order("Evergreen", "Granite", "Kestrel", "Northwind")
	tests := []struct {
		mode  sortMode
		label string
		gold  []string
	}{
		{sortPipeline, "sort: sourced pipeline", []string{"Evergreen", "Kestrel", "Granite", "Northwind"}},
		{sortSince, "sort: tier since", []string{"Evergreen", "Kestrel", "Northwind", "Granite"}},
		{sortManager, "sort: manager", []string{"Evergreen", "Northwind", "Granite", "Kestrel"}},
		{sortName, "sort: name", []string{"Evergreen", "Granite", "Kestrel", "Northwind"}},
	}
	for _, tt := range tests {
		msgs := press(t, a, "s")
		if p.sort != tt.mode {
			t.Fatalf("sort is %v, want %v", p.sort, tt.mode)
		}
		if !strings.Contains(screenText(a), tt.label) {
			t.Errorf("toolbar lacks %q", tt.label)
		}
		order(tt.gold...)
		found := false
		for _, m := range msgs {
			if s, ok := m.(statusMsg); ok && strings.Contains(s.text, tt.mode.String()) {
				found = true
			}
		}
		if !found {
			t.Errorf("no status message for sort %v", tt.mode)
		}
	}
}

func TestSortKeepsSelection(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	p := a.screens[0].(*partnersScreen)
	press(t, a, "G") // Juniper Labs, last by name
	before := p.data.rows[p.selected()].name()
	press(t, a, "s")
	if after := p.data.rows[p.selected()].name(); after != before {
		t.Errorf("selection moved from %s to %s on sort", before, after)
	}
}

func TestCursorKeys(t *testing.T) {
	tests := []struct {
		keys []string
		want int
	}{
		{nil, 0},
		{[]string{"j"}, 1},
		{[]string{"down", "down", "up"}, 1},
		{[]string{"k"}, 0},
		{[]string{"G"}, 11},
		{[]string{"end"}, 11},
		{[]string{"G", "g"}, 0},
		{[]string{"G", "home"}, 0},
		{[]string{"pgdown"}, 11}, // a page of 18 rows at 80×24 goes past the end
		{[]string{"G", "pgup"}, 0},
		{[]string{"ctrl+d"}, 9}, // half a page of 18
		{[]string{"ctrl+d", "ctrl+u"}, 0},
		{[]string{"j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j"}, 11},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			a := newLoadedApp(t, 80, 24, true)
			p := a.screens[0].(*partnersScreen)
			press(t, a, tt.keys...)
			if p.cursor != tt.want {
				t.Errorf("cursor %d, want %d", p.cursor, tt.want)
			}
			// The selected row is on screen, marked with ›.
			name := p.data.rows[p.selected()].name()
			var line string
			for _, l := range strings.Split(screenText(a), "\n") {
				if strings.HasPrefix(l, "›") {
					line = l
				}
			}
			if !strings.Contains(line, ansi.Truncate(name, 18, "")) {
				t.Errorf("selected %s, but the › line is %q", name, line)
			}
		})
	}
}

func TestScrollKeepsCursorVisible(t *testing.T) {
	// 12 partners and 3 headers in 8 list lines: scrolling is needed.
	a := newLoadedApp(t, 80, 14, true)
	p := a.screens[0].(*partnersScreen)
	for i := range 12 {
		if i > 0 {
			press(t, a, "j")
		}
		got := screenText(a)
		name := p.data.rows[p.selected()].name()
		if !strings.Contains(got, "›") || !strings.Contains(got, name) {
			t.Fatalf("step %d: %s not on screen:\n%s", i, name, got)
		}
		checkFrame(t, a.View().Content, 80, 14)
	}
	// The list's end is reachable and the last row shows.
	if got := screenText(a); !strings.Contains(got, "Juniper Labs") {
		t.Errorf("last row not shown at the end:\n%s", got)
	}
	// Scrolled into a section, its header repeats on the first list line:
	// at the end, the window starts inside SILVER.
	lines := strings.Split(screenText(a), "\n")
	if !strings.HasPrefix(lines[4], "SILVER") {
		t.Errorf("first list line is %q, want the SILVER header repeated", lines[4])
	}
	for range 12 {
		press(t, a, "k")
	}
	if !strings.Contains(screenText(a), "GOLD · 4 partners") {
		t.Error("back at the top, the GOLD header is not shown")
	}
}

func TestMouseWheel(t *testing.T) {
	a := newLoadedApp(t, 80, 24, true)
	p := a.screens[0].(*partnersScreen)
	send(t, a, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if p.cursor != wheelStep {
		t.Errorf("wheel down: cursor %d, want %d", p.cursor, wheelStep)
	}
	send(t, a, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if p.cursor != 0 {
		t.Errorf("wheel up: cursor %d, want 0", p.cursor)
	}
	if v := a.View(); v.MouseMode != tea.MouseModeCellMotion || !v.AltScreen {
		t.Error("the view does not ask for the alt screen and mouse")
	}
}

func TestDetailScrolls(t *testing.T) {
	a := newLoadedApp(t, 80, 24, true)
	press(t, a, "/")
	typeText(t, a, "north")
	press(t, a, "enter")
	p := a.screens[0].(*partnersScreen)
	if !strings.Contains(screenText(a), "↓ more below") {
		t.Fatalf("a long detail at 80×24 shows no more-mark:\n%s", screenText(a))
	}
	press(t, a, "G")
	got := screenText(a)
	if !strings.Contains(got, "Joined the program.") || strings.Contains(got, "↓ more below") {
		t.Errorf("G does not reach the end of the detail:\n%s", got)
	}
	if !strings.HasPrefix(strings.Split(got, "\n")[2], "Northwind Global") {
		t.Error("the title does not stay at the top while scrolled")
	}
	press(t, a, "g")
	if p.detail.offset != 0 {
		t.Error("g does not go back to the top")
	}
	send(t, a, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if p.detail.offset != wheelStep {
		t.Errorf("wheel scrolls the detail to %d, want %d", p.detail.offset, wheelStep)
	}
}

func TestResize(t *testing.T) {
	sizes := [][2]int{{80, 24}, {120, 40}, {100, 30}, {200, 60}, {81, 25}, {60, 20}, {40, 12}, {20, 6}}
	for _, sz := range sizes {
		w, h := sz[0], sz[1]
		a := newLoadedApp(t, 120, 40, false)
		send(t, a, tea.WindowSizeMsg{Width: w, Height: h})
		checkFrame(t, a.View().Content, w, h)
		press(t, a, "?")
		checkFrame(t, a.View().Content, w, h)
		press(t, a, "?", "/")
		typeText(t, a, "north")
		checkFrame(t, a.View().Content, w, h)
		press(t, a, "enter")
		checkFrame(t, a.View().Content, w, h)
		press(t, a, "?")
		checkFrame(t, a.View().Content, w, h)
		// Shrink with the detail open.
		send(t, a, tea.WindowSizeMsg{Width: w - 1, Height: h - 1})
		checkFrame(t, a.View().Content, w-1, h-1)
	}
	// At 80×24, every column but the first metrics is given up before the
	// name gets too short to read.
	a := newLoadedApp(t, 80, 24, true)
	if got := screenText(a); !strings.Contains(got, "Brightpath Analytics") || !strings.Contains(got, "Evergreen Cloud Partners") {
		t.Errorf("names cut at 80 columns:\n%s", got)
	}
}

func TestNoColor(t *testing.T) {
	a := newLoadedApp(t, 80, 24, true)
	send(t, a, tea.BackgroundColorMsg{Color: color.White}) // must not bring colour back
	views := map[string]string{"list": a.View().Content}
	press(t, a, "/")
	typeText(t, a, "nor")
	views["filter"] = a.View().Content
	press(t, a, "enter")
	views["detail"] = a.View().Content
	press(t, a, "?")
	views["help"] = a.View().Content
	press(t, a, "?", "esc", "esc", "s")
	views["status"] = a.View().Content
	for name, v := range views {
		if strings.ContainsRune(v, '\x1b') {
			t.Errorf("%s: NO_COLOR output holds an escape code: %q", name, v)
		}
	}
	// The colourful version does style.
	c := newLoadedApp(t, 80, 24, false)
	if !strings.ContainsRune(c.View().Content, '\x1b') {
		t.Error("colour output holds no style at all")
	}
	send(t, c, tea.BackgroundColorMsg{Color: color.White})
	checkFrame(t, c.View().Content, 80, 24)
}

func TestHelpToggle(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	short := screenText(a)
	if !strings.Contains(short, "? help") || !strings.Contains(short, "/ filter") {
		t.Errorf("short help missing:\n%s", short)
	}
	press(t, a, "?")
	full := screenText(a)
	if !strings.Contains(full, "half page down") || !strings.Contains(full, "top") {
		t.Errorf("full help missing:\n%s", full)
	}
	checkFrame(t, a.View().Content, 120, 40)
	press(t, a, "?")
	if screenText(a) != short {
		t.Error("? twice does not restore the screen")
	}
}

func TestGlobalKeys(t *testing.T) {
	a := newLoadedApp(t, 80, 24, true)
	if msgs := press(t, a, "1"); a.active != 0 || quits(msgs) {
		t.Error("1 does not stay on Partners")
	}
	// Only the tabs there are have digits, and the help says so.
	if msgs := press(t, a, "5"); a.active != 0 || quits(msgs) {
		t.Errorf("5 moved off Partners: %v", msgs)
	}
	send(t, a, tea.WindowSizeMsg{Width: 200, Height: 40})
	press(t, a, "?")
	if text := screenText(a); !strings.Contains(text, "1-4") || strings.Contains(text, "1-5") {
		t.Errorf("full help does not offer 1-4:\n%s", text)
	}
	press(t, a, "?")
	send(t, a, tea.WindowSizeMsg{Width: 80, Height: 24})
	// Partners, Review, Health, Calendar: tab goes round, shift+tab back.
	for _, step := range []struct {
		key  string
		want int
	}{{"2", 1}, {"4", 3}, {"tab", 0}, {"tab", 1}, {"shift+tab", 0}, {"shift+tab", 3}, {"1", 0}} {
		press(t, a, step.key)
		if a.active != step.want {
			t.Errorf("%s: tab %d, want %d", step.key, a.active, step.want)
		}
	}
	// While the filter has focus, q is text and ctrl+c still quits.
	press(t, a, "/")
	if quits(press(t, a, "q")) {
		t.Error("q quit while the filter had focus")
	}
	if !quits(press(t, a, "ctrl+c")) {
		t.Error("ctrl+c does not quit while filtering")
	}
	press(t, a, "esc")
	if !quits(press(t, a, "q")) {
		t.Error("q does not quit from the list")
	}
}

func TestCursorInFilter(t *testing.T) {
	a := newLoadedApp(t, 80, 24, false)
	if a.View().Cursor != nil {
		t.Error("a cursor shows with no input focused")
	}
	press(t, a, "/")
	typeText(t, a, "ab")
	c := a.View().Cursor
	if c == nil {
		t.Fatal("no cursor in the focused filter")
	}
	if c.Y != 2 || c.X != len("/ ab") {
		t.Errorf("cursor at %d,%d, want %d,2", c.X, c.Y, len("/ ab"))
	}
}

func TestSparkline(t *testing.T) {
	tests := []struct {
		in   []float64
		want string
	}{
		{nil, ""},
		{[]float64{0, 0}, "▁▁"},
		{[]float64{500, 450, 0, 0}, "█▇▁▁"},
		{[]float64{1, 100}, "▂█"},
	}
	for _, tt := range tests {
		if got := sparkline(tt.in); got != tt.want {
			t.Errorf("sparkline(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	if got := fit("Brightpath Analytics", 10); got != "Brightpat…" {
		t.Errorf("fit: %q", got)
	}
	if got := fitRight("$5k", 5); got != "  $5k" {
		t.Errorf("fitRight: %q", got)
	}
	if got := clipLeft("~/.local/share/partnertiers/partnertiers.db", 20); got != "…tiers/partnertiers.db" && ansi.StringWidth(got) != 20 {
		t.Errorf("clipLeft: %q", got)
	}
	if got := shortPerson("Priya Natarajan", 10); got != "Priya N." {
		t.Errorf("shortPerson: %q", got)
	}
	if got := clean("Evil\x1b[31m Corp\u202e"); strings.ContainsAny(got, "\x1b\u202e") {
		t.Errorf("clean kept controls: %q", got)
	}
}

func TestEmptyStore(t *testing.T) {
	opts := fixtureOptions(true)
	opts.Load = func() (*store.Snapshot, error) { return &store.Snapshot{}, nil }
	a := New(opts)
	send(t, a, tea.WindowSizeMsg{Width: 80, Height: 24})
	run(t, a, a.Init())
	press(t, a, "j", "G", "enter", "s", "/", "x", "enter")
	got := screenText(a)
	if !strings.Contains(got, "No partners yet") || !strings.Contains(got, "2026-Q2") {
		t.Errorf("empty store:\n%s", got)
	}
	checkFrame(t, a.View().Content, 80, 24)
}

func TestPasteIntoFilter(t *testing.T) {
	a := newLoadedApp(t, 80, 24, true)
	press(t, a, "/")
	send(t, a, tea.PasteMsg{Content: "nwglobal"})
	if p := a.screens[0].(*partnersScreen); p.shown != 1 {
		t.Errorf("paste: %d shown, want 1", p.shown)
	}
}

func TestLightBackground(t *testing.T) {
	a := newLoadedApp(t, 80, 24, false)
	dark := a.View().Content
	send(t, a, tea.BackgroundColorMsg{Color: color.White})
	light := a.View().Content
	if dark == light {
		t.Error("a light background changes no colour")
	}
	if ansi.Strip(dark) != ansi.Strip(light) {
		t.Error("a light background changes the text")
	}
}

// TestRowsAgreeWithEvaluate checks what the list precomputes (marker, key
// metrics, the pipeline it sorts by) against a full model.Evaluate of every
// partner, on the fixture and on generated partners.
func TestRowsAgreeWithEvaluate(t *testing.T) {
	p := fixtureProgram()
	for _, snap := range []*store.Snapshot{fixtureSnapshot(), generatedSnapshot(3000)} {
		d := buildDataset(p, snap, fixtureNow)
		for i := range d.rows {
			r := &d.rows[i]
			ev := model.Evaluate(p, r.partner, snap.Production[r.partner.ID], d.period)
			dir := 0
			if cur, earned := p.TierIndex(r.partner.Tier), p.TierIndex(ev.Earned); cur >= 0 && earned > cur {
				dir = 1
			} else if cur >= 0 && earned < cur {
				dir = -1
			}
			if int(r.earnDir) != dir || r.pipeline != ev.Values[d.trendMetric.Key] {
				t.Fatalf("%s: marker %d, pipeline %v; Evaluate earns %s (marker %d), pipeline %v",
					r.partner.ID, r.earnDir, r.pipeline, ev.Earned, dir, ev.Values[d.trendMetric.Key])
			}
			for j, m := range d.keyMetrics {
				if got, want := d.metric(r, j), model.FormatShort(m.Unit, ev.Values[m.Key]); got != want {
					t.Fatalf("%s: %s = %s, Evaluate says %s", r.partner.ID, m.Key, got, want)
				}
			}
		}
	}
}

// TestRunningQuarterIsNotEvaluated: production already imported for the
// quarter under way must not change what the app shows; show and review
// evaluate the last complete quarter, and so does the app.
func TestRunningQuarterIsNotEvaluated(t *testing.T) {
	snap := fixtureSnapshot()
	running := model.MustPeriod("2026-Q3") // fixtureNow is in it
	nw := snap.Production["northwind-global"].Map()
	nw[running] = map[string]float64{"sourced_pipeline": 900000, "sourced_revenue": 400000, "certified_reps": 9, "registered_deals": 20}
	snap.Production["northwind-global"] = model.SeriesOf(nw)
	snap.Periods = append(snap.Periods, running)

	d := buildDataset(fixtureProgram(), snap, fixtureNow)
	if d.period.String() != "2026-Q2" {
		t.Fatalf("evaluated %s, want the last complete quarter 2026-Q2", d.period)
	}
	for _, p := range d.trendPeriods {
		if p == running {
			t.Errorf("the trend includes the running quarter")
		}
	}
	ev := model.Evaluate(d.program, &snap.Partners[slices.IndexFunc(snap.Partners, func(p model.Partner) bool { return p.ID == "northwind-global" })], snap.Production["northwind-global"], d.period)
	if ev.Earned == "gold" {
		t.Errorf("Northwind earns gold on the running quarter's numbers")
	}
}

// TestStatusesArriveOutOfOrder: commands run concurrently, so the status of
// an earlier key can arrive after a later one's; the footer keeps the later.
func TestStatusesArriveOutOfOrder(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	_, first := a.Update(keyMsg("s"))  // sourced pipeline
	_, second := a.Update(keyMsg("s")) // tier since
	send(t, a, second())
	send(t, a, first())
	if text := screenText(a); !strings.Contains(text, "Sorted by tier since") || strings.Contains(text, "Sorted by sourced pipeline") {
		t.Errorf("the footer shows the older status:\n%s", text)
	}
}

// TestReloadFailureKeepsTheScreen: a reload that fails (the store busy for
// a second) keeps what is shown and says why; the next one recovers.
func TestReloadFailureKeepsTheScreen(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	good := a.opts.Load
	a.opts.Load = func() (*store.Snapshot, error) { return nil, errors.New("store is busy") }
	send(t, a, reloadMsg{})
	text := screenText(a)
	if strings.Contains(text, "Could not load the store") || !strings.Contains(text, "Northwind Global") {
		t.Fatalf("a failed reload replaced the partners:\n%s", text)
	}
	wantText(t, a, "Could not reload the store: store is busy")
	a.opts.Load = good
	send(t, a, reloadMsg{})
	if a.err != nil {
		t.Errorf("the error stayed after a good reload: %v", a.err)
	}
}

// TestStaleLoadDropped: two loads answered out of order; the older loses.
func TestStaleLoadDropped(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	good := a.opts.Load
	calls := 0
	a.opts.Load = func() (*store.Snapshot, error) {
		calls++
		snap, err := good()
		if calls == 1 { // the older load sees a store without Northwind
			c := *snap
			c.Partners = slices.DeleteFunc(slices.Clone(snap.Partners), func(p model.Partner) bool { return p.ID == "northwind-global" })
			return &c, err
		}
		return snap, err
	}
	older, newer := a.loadCmd(), a.loadCmd()
	oldMsg := older()
	send(t, a, newer())
	send(t, a, oldMsg)
	if !strings.Contains(screenText(a), "Northwind Global") {
		t.Errorf("the older load's snapshot replaced the newer one:\n%s", screenText(a))
	}
}

// TestReloadKeepsFilterAndDetail: after a reload (a finalize elsewhere) the
// filter still applies and an open detail shows the new data.
func TestReloadKeepsFilterAndDetail(t *testing.T) {
	a := newLoadedApp(t, 120, 40, true)
	press(t, a, "/")
	typeText(t, a, "north")
	press(t, a, "enter") // one match: its detail opens
	wantText(t, a, "Gold since")
	good := a.opts.Load
	a.opts.Load = func() (*store.Snapshot, error) {
		snap, err := good()
		c := *snap
		c.Partners = slices.Clone(snap.Partners)
		for i := range c.Partners {
			if c.Partners[i].ID == "northwind-global" {
				c.Partners[i].Tier = "silver"
			}
		}
		return &c, err
	}
	send(t, a, reloadMsg{})
	wantText(t, a, "Silver since")
	press(t, a, "esc")
	text := screenText(a)
	if !strings.Contains(text, "1 of 12 partners") || strings.Contains(text, "Evergreen Cloud Partners") {
		t.Errorf("after the reload the filter shows but does not apply:\n%s", text)
	}
}
