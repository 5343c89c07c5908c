package ui

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/store"
)

// -update rewrites the golden files. teatest's golden package registers the
// same flag in this test binary, so share it when it is there.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "update .golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func fixtureOptions(noColor bool) Options {
	snap := fixtureSnapshot()
	return Options{
		Program:   fixtureProgram(),
		Load:      func() (*store.Snapshot, error) { return snap, nil },
		StorePath: fixtureStorePath,
		Now:       func() time.Time { return fixtureNow },
		NoColor:   noColor,
	}
}

// newLoadedApp is the app at a size with its snapshot loaded, the way the
// runtime would get there: a window size, then Init's commands run by hand.
func newLoadedApp(t testing.TB, w, h int, noColor bool) *App {
	t.Helper()
	return loadedApp(t, fixtureOptions(noColor), w, h)
}

// loadedApp is New(opts) at a size with its snapshot loaded; tabKeys, if
// any, are pressed after ("2" opens the Review tab).
func loadedApp(t testing.TB, opts Options, w, h int, tabKeys ...string) *App {
	t.Helper()
	if tt, ok := t.(*testing.T); ok {
		tt.Setenv("HOME", fixtureHome)
	}
	a := New(opts)
	send(t, a, tea.WindowSizeMsg{Width: w, Height: h})
	run(t, a, a.Init())
	if a.data == nil {
		t.Fatalf("snapshot did not load: %v", a.err)
	}
	press(t, a, tabKeys...)
	return a
}

// screenOf is the app's screen of type S (nil when it has none).
func screenOf[S screen](a *App) S {
	for _, s := range a.screens {
		if x, ok := s.(S); ok {
			return x
		}
	}
	var none S
	return none
}

// send delivers one message and runs the commands it returns.
func send(t testing.TB, a *App, msg tea.Msg) []tea.Msg {
	t.Helper()
	a.tick = pendingTick
	_, cmd := a.Update(msg)
	return run(t, a, cmd)
}

// timerMsg stands for a timer that has not fired: tests never wait for one.
type timerMsg struct{}

func pendingTick(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return timerMsg{} }
}

// run executes a command the way the runtime would, feeding its messages
// back into Update, and returns every message it produced. Timers (made by
// pendingTick) never fire; quitting stops the chain.
func run(t testing.TB, a *App, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	a.tick = pendingTick
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("a command did not return in 30 s")
	}
	switch msg := msg.(type) {
	case nil, timerMsg:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, run(t, a, c)...)
		}
		return out
	case tea.QuitMsg:
		return []tea.Msg{msg}
	}
	if cmds, ok := sequenced(msg); ok {
		var out []tea.Msg
		for _, c := range cmds {
			out = append(out, run(t, a, c)...)
		}
		return out
	}
	return append([]tea.Msg{msg}, send(t, a, msg)...)
}

// keyMsg builds a key press from its name: "enter", "ctrl+d", "G", "/".
func keyMsg(name string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"left":      {Code: tea.KeyLeft},
		"right":     {Code: tea.KeyRight},
		"pgup":      {Code: tea.KeyPgUp},
		"pgdown":    {Code: tea.KeyPgDown},
		"home":      {Code: tea.KeyHome},
		"end":       {Code: tea.KeyEnd},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"backspace": {Code: tea.KeyBackspace},
		"space":     {Code: tea.KeySpace, Text: " "},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
		"ctrl+d":    {Code: 'd', Mod: tea.ModCtrl},
		"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
		"ctrl+r":    {Code: 'r', Mod: tea.ModCtrl},
	}
	if k, ok := special[name]; ok {
		return k
	}
	r := []rune(name)
	if len(r) != 1 {
		panic("keyMsg: unknown key " + name)
	}
	return tea.KeyPressMsg{Code: r[0], Text: name}
}

// press sends keys by name and returns every message their commands made.
func press(t testing.TB, a *App, keys ...string) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	for _, k := range keys {
		out = append(out, send(t, a, keyMsg(k))...)
	}
	return out
}

// typeText sends each character of s as a key press.
func typeText(t testing.TB, a *App, s string) {
	t.Helper()
	for _, r := range s {
		send(t, a, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func screenText(a *App) string { return ansi.Strip(a.View().Content) }

func quits(msgs []tea.Msg) bool {
	for _, m := range msgs {
		if _, ok := m.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

// checkFrame fails when the frame is not exactly h lines of at most w cells.
func checkFrame(t *testing.T, content string, w, h int) {
	t.Helper()
	lines := strings.Split(content, "\n")
	if len(lines) != h {
		t.Errorf("frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, n, w, ansi.Strip(l))
		}
	}
}

// golden compares got with testdata/name.golden, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s is missing: run go test ./ui -update", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test ./ui -update rewrites it):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// sequenced is the commands of a tea.Sequence, whose message type the
// runtime keeps to itself: a slice of commands that is not a BatchMsg.
func sequenced(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}
