package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/store/safetext"
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
	{"bare CR", func(s string) string { return strings.Replace(s, " ", "\r", 1) }},
	{"C1 CSI", func(s string) string { return s[:3] + "\u009b2J" + s[3:] }},
	{"RLO", func(s string) string { return s[:3] + "\u202e" + s[3:] }},
}

// checkClean fails on any control character but the line feed, any
// escape, C1 control or bidi control in a command's output.
func checkClean(t *testing.T, what, out string) {
	t.Helper()
	for i, line := range strings.Split(out, "\n") {
		if strings.ContainsFunc(line, safetext.Unsafe) {
			t.Errorf("%s: line %d is not clean: %q", what, i+1, line)
			return
		}
	}
}

func csvFile(t *testing.T, dir, name string, rows ...[]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// hostileICS is a meeting of 2026-W46 no partner matches, its summary s.
func hostileICS(t *testing.T, dir, s string) string {
	t.Helper()
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:hostile@x\r\nSUMMARY:" + s + "\r\n" +
		"DTSTART:20261110T150000Z\r\nDTEND:20261110T160000Z\r\nATTENDEE:mailto:pat@nobody-we-know.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	path := filepath.Join(dir, "hostile.ics")
	if err := os.WriteFile(path, []byte(ics), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// reports are the commands that print text from files.
var reports = [][]string{
	{"show", "markerpartner"},
	{"show", "markerpartner", "--json"},
	{"export", "partners", "--format", "md"},
	{"export", "partners", "--format", "csv"},
	{"export", "partners", "--format", "json"},
	{"export", "scorecards", "--format", "md", "--partner", "markerpartner"},
	{"review"},
	{"review", "--json"},
	{"align", "--week", "2026-W46"},
	{"check"},
}

// TestHostileImportsPrintClean: names and summaries carrying the payloads,
// imported through the roster and calendar importers, and rows whose bad
// values carry them, print clean in every report and error message.
func TestHostileImportsPrintClean(t *testing.T) {
	for _, pl := range payloads {
		t.Run(pl.name, func(t *testing.T) {
			home, dir := t.TempDir(), t.TempDir()
			if code, out, errOut := run(t, home, "init", "--sample"); code != ExitOK {
				t.Fatalf("init --sample: %d\n%s%s", code, out, errOut)
			}
			head := []string{"id", "name", "track", "manager", "domains", "aliases", "tier", "joined"}
			roster := csvFile(t, dir, "roster.csv", head,
				[]string{"markerpartner", pl.wrap("Markerpartner Alpha"), "reseller", pl.wrap("Dana Reyes"), "marker.example", pl.wrap("Marker Alias"), "registered", "2024-01-01"})
			bad := csvFile(t, dir, "bad.csv", head,
				[]string{"bad-one", "Bad One", "reseller", "", "", "", pl.wrap("platinum"), "2024-01-01"},
				[]string{"bad-two", "Bad Two", pl.wrap("wholesale"), "", "", "", "registered", pl.wrap("2024-13-45")},
				[]string{"bad-three", "Bad Three", "reseller", "", "", "", "registered", "2024-01-01", pl.wrap("extra value")})
			steps := [][]string{
				{"import", "partners", roster},
				{"import", "partners", bad},
				{"import", "calendar", hostileICS(t, dir, pl.wrap("Markermeeting about the renewal"))},
			}
			for _, args := range append(steps, reports...) {
				code, out, errOut := run(t, home, args...)
				if code == ExitUsage {
					t.Fatalf("%v: usage error: %s", args, errOut)
				}
				what := strings.Join(args[:min(2, len(args))], " ")
				checkClean(t, what+" stdout", out)
				checkClean(t, what+" stderr", errOut)
				switch what {
				case "import partners":
					if strings.HasSuffix(args[2], "bad.csv") && (code != ExitFail || !strings.Contains(errOut, "bad.csv:4:")) {
						t.Errorf("the bad roster: exit %d, want 1 naming its rows\n%s", code, errOut)
					}
				case "show markerpartner":
					if !strings.Contains(out, "Markerpartner Alpha") {
						t.Errorf("show does not show the name:\n%s", out)
					}
				case "align --week":
					// A bare CR ends a line of an .ics: the summary is cut there.
					if !strings.Contains(out, "Markermeeting") {
						t.Errorf("align does not list the unmatched meeting:\n%s", out)
					}
				}
			}
		})
	}
}

// TestStoredHostileTextPrintsClean: text that skipped the import's
// cleaning (written into the store file itself, as a store written before
// cleaning would hold it) is cleaned where it is printed, and JSON keeps
// it exactly, escaped.
func TestStoredHostileTextPrintsClean(t *testing.T) {
	const (
		partner = "Markerpartner Alpha Omega Zulu Yankee Xray Whiskey Victor Uniform"
		meeting = "Markermeeting about the renewal of the contract for the next three years, with the legal team and the buyers"
	)
	for _, pl := range payloads {
		t.Run(pl.name, func(t *testing.T) {
			home, dir := t.TempDir(), t.TempDir()
			if code, out, errOut := run(t, home, "init", "--sample"); code != ExitOK {
				t.Fatalf("init --sample: %d\n%s%s", code, out, errOut)
			}
			roster := csvFile(t, dir, "roster.csv", []string{"id", "name", "track", "manager", "tier", "joined"},
				[]string{"markerpartner", partner, "reseller", "Dana Reyes", "registered", "2024-01-01"},
				[]string{"markerpartner-two", "Markerpartner Beta", "reseller", "Dana Reyes", "registered", "2024-01-01"})
			for _, args := range [][]string{{"import", "partners", roster}, {"import", "calendar", hostileICS(t, dir, meeting)}} {
				if code, out, errOut := run(t, home, args...); code != ExitOK {
					t.Fatalf("%v: %d\n%s%s", args, code, out, errOut)
				}
			}
			// The same length, so every length prefix in the records
			// holds. Partners are stored as binary records, meetings as
			// JSON (its escapes count).
			shownPartner := sameLength(partner, pl.wrap, func(s string) string { return s })
			shownMeeting := sameLength(meeting, pl.wrap, jsonText)
			storePath := filepath.Join(home, "data", "partnertiers", "partnertiers.db")
			patchStore(t, storePath, map[string]string{
				partner: pl.wrap(shownPartner),
				meeting: jsonText(pl.wrap(shownMeeting)),
			})
			// Exports to a file skip stdout's guard: their cells are
			// cleaned (CSV, md) or escaped (JSON) all the same.
			for _, format := range []string{"csv", "md", "json"} {
				file := filepath.Join(dir, "partners."+format)
				if code, out, errOut := run(t, home, "export", "partners", "--format", format, "-o", file); code != ExitOK {
					t.Fatalf("export %s: %d\n%s%s", format, code, out, errOut)
				}
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(data), "Markerpartner Beta") {
					t.Fatalf("export %s -o: no partners in\n%s", format, data)
				}
				checkClean(t, "export "+format+" -o", string(data))
			}
			// Errors that name partners: a near miss, and several matches.
			for _, query := range []string{"Markerpartner Alpha Omegaa", "marker"} {
				if code, _, errOut := run(t, home, "show", query); code != ExitFail || !strings.Contains(errOut, "Markerpartner Alpha") {
					t.Errorf("show %q: exit %d, want 1 naming the partner:\n%s", query, code, errOut)
				} else {
					checkClean(t, "show "+query, errOut)
				}
			}
			for _, args := range reports {
				code, out, errOut := run(t, home, args...)
				what := strings.Join(args, " ")
				if code == ExitUsage {
					t.Fatalf("%s: usage error: %s", what, errOut)
				}
				checkClean(t, what+" stdout", out)
				checkClean(t, what+" stderr", errOut)
				switch what {
				case "show markerpartner", "export partners --format md", "export partners --format csv":
					if !strings.Contains(out, safetext.Clean(pl.wrap(shownPartner))) {
						t.Errorf("%s does not show %q:\n%s%s", what, safetext.Clean(pl.wrap(shownPartner)), out, errOut)
					}
				case "align --week 2026-W46":
					if !strings.Contains(out, "Markermeeting about") {
						t.Errorf("align does not list the meeting:\n%s", out)
					}
				case "show markerpartner --json":
					var card struct{ Name string }
					if err := json.Unmarshal([]byte(out), &card); err != nil || card.Name != pl.wrap(shownPartner) {
						t.Errorf("JSON name %q, %v; want the stored text exactly, %q", card.Name, err, pl.wrap(shownPartner))
					}
				}
			}
		})
	}
}

// sameLength is the clean text that, wrapped and encoded, is as long as s:
// a cut of s.
func sameLength(s string, wrap, encode func(string) string) string {
	over := len(encode(wrap(s))) - len(s)
	return s[:len(s)-over]
}

// jsonText is s as a JSON string writes it, without the quotes.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// patchStore replaces text in every record of the store file, as an older
// version of the program (or another tool) might have written it.
func patchStore(t *testing.T, path string, repl map[string]string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	patched := 0
	err = db.Update(func(tx *bolt.Tx) error {
		var walk func(b *bolt.Bucket) error
		walk = func(b *bolt.Bucket) error {
			type kv struct{ k, v []byte }
			var puts []kv
			err := b.ForEach(func(k, v []byte) error {
				if v == nil {
					return walk(b.Bucket(k))
				}
				nv := v
				for from, to := range repl {
					if len(from) != len(to) {
						t.Fatalf("patch %q: %q is not the same length", from, to)
					}
					nv = bytes.ReplaceAll(nv, []byte(from), []byte(to))
				}
				if !bytes.Equal(nv, v) {
					puts = append(puts, kv{bytes.Clone(k), nv})
				}
				return nil
			})
			for _, p := range puts {
				if err := b.Put(p.k, p.v); err != nil {
					return err
				}
				patched++
			}
			return err
		}
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	if patched < 2 {
		t.Fatalf("patched %d records, want the partner and the meeting", patched)
	}
}

// TestOutputGuard: text printed as it is stored, with no cleaning of its
// own (the key of a track the program lacks stands for its name), is
// still cleaned on its way to stdout.
func TestOutputGuard(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	if code, out, errOut := run(t, home, "init", "--sample"); code != ExitOK {
		t.Fatalf("init --sample: %d\n%s%s", code, out, errOut)
	}
	roster := csvFile(t, dir, "roster.csv", []string{"id", "name", "track", "tier", "joined"},
		[]string{"markerpartner", "Markerpartner", "referral", "registered", "2024-01-01"})
	if code, out, errOut := run(t, home, "import", "partners", roster); code != ExitOK {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	patchStore(t, filepath.Join(home, "data", "partnertiers", "partnertiers.db"), map[string]string{"referral": "r\x1b[J\u202ef"})
	code, out, errOut := run(t, home, "show", "markerpartner")
	if code != ExitOK || !strings.Contains(out, "Markerpartner") || !strings.Contains(out, "\nrf") {
		t.Fatalf("show: exit %d\n%s%s", code, out, errOut)
	}
	checkClean(t, "show", out)
}

// TestFinalErrorPrintedClean: the one place every failure is printed
// cleans it, whatever text the error quotes (here a --config path that
// carries an escape and a bidi override).
func TestFinalErrorPrintedClean(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	config := filepath.Join(dir, "x\x1b[2Jpwned\u202e.toml")
	code, out, errOut := run(t, home, "--config", config, "show", "anyone")
	if code != ExitFail || !strings.Contains(errOut, "no config at") || !strings.Contains(errOut, "pwned") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	checkClean(t, "stderr", errOut)
}
