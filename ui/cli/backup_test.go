package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// restore prints the backup's path as given, so a hostile file name (from
// a glob) reaches the terminal with its escape sequence; every other
// command cleans paths (pathError, readInput) or guards its output.
func TestRestorePrintsPathsClean(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, "init"); code != ExitOK {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	src := filepath.Join(t.TempDir(), "b\x1b]0;pwned\x07.db")
	bcode, bout, berr := run(t, home, "backup", src)
	if bcode != ExitOK {
		t.Fatalf("backup: %d\n%s%s", bcode, bout, berr)
	}
	if strings.ContainsRune(bout+berr, 0x1b) {
		t.Errorf("backup output holds an escape sequence: %q", bout+berr)
	}
	if _, err := os.Stat(src); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, home, "restore", src)
	if code != ExitOK {
		t.Fatalf("restore: %d\n%s%s", code, out, errOut)
	}
	if strings.ContainsRune(out+errOut, 0x1b) {
		t.Errorf("restore output holds an escape sequence: %q", out+errOut)
	}
}

// `restore` says where the replaced store is kept, and it is there.
func TestRestoreSaysWhereTheReplacedStoreIs(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, "init"); code != ExitOK {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	src := filepath.Join(t.TempDir(), "b.db")
	if code, out, errOut := run(t, home, "backup", src); code != ExitOK {
		t.Fatalf("backup: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := run(t, home, "restore", src)
	if code != ExitOK {
		t.Fatalf("restore: %d\n%s%s", code, out, errOut)
	}
	const say = "the replaced store is kept as "
	i := strings.Index(out, say)
	if i < 0 {
		t.Fatalf("restore output does not name the replaced store:\n%s", out)
	}
	kept := strings.TrimSpace(out[i+len(say):])
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("the replaced store %s: %v", kept, err)
	}
}
