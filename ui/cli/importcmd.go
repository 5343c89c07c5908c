package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

func runImport(c *ctx, args []string) error {
	fs := c.flagSet("import", "partners|production FILE [--skip-bad] [--create-partners]",
		"Import a partner roster or a production CSV in one transaction: all of it or\nnone of it. A bad row rejects the whole file unless --skip-bad. Re-importing\nthe same file changes nothing. FILE may be - for standard input.")
	skipBad := fs.Bool("skip-bad", false, "write the good rows and list the bad ones")
	create := fs.Bool("create-partners", false, "production: add unknown partners at the entry tier")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 2, "partners|production FILE"); err != nil {
		return err
	}
	kind, file := pos[0], pos[1]
	if kind != "partners" && kind != "production" {
		return usagef("import: unknown kind %q: want partners or production", kind)
	}
	data, name, err := c.readInput(file)
	if err != nil {
		return err
	}
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	opts := store.ImportOptions{SkipBad: *skipBad, CreatePartners: *create, Now: c.now()}
	var rep store.ImportReport
	if kind == "partners" {
		rep, err = st.ImportPartners(name, data, cfg.Program, opts)
	} else {
		rep, err = st.ImportProduction(name, data, cfg.Program, productionColumns(cfg), opts)
	}
	// A rejected file's error lists its bad rows; print them once.
	if err != nil {
		rep.Bad = nil
	}
	c.printReport(kind, rep)
	return err
}

func (c *ctx) readInput(file string) ([]byte, string, error) {
	if file == "-" {
		data, err := io.ReadAll(c.env.Stdin)
		return data, "stdin", err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, "", fmt.Errorf("import: %w", err)
	}
	return data, filepath.Base(file), nil
}

func (c *ctx) printReport(kind string, rep store.ImportReport) {
	w := c.env.Stdout
	for _, b := range rep.Bad {
		fmt.Fprintln(c.env.Stderr, b.Error())
	}
	if rep.File == "" {
		return
	}
	switch {
	case rep.AlreadyImported:
		fmt.Fprintf(w, "%s: already imported, nothing changed\n", rep.File)
		return
	case rep.Written > 0:
		fmt.Fprintf(w, "%s: %d rows read, %d written\n", rep.File, rep.Rows, rep.Written)
	}
	if len(rep.Bad) > 0 && rep.Written > 0 {
		fmt.Fprintf(w, "%d bad rows skipped\n", len(rep.Bad))
	}
	if kind == "production" {
		for _, id := range rep.Created {
			fmt.Fprintf(w, "created partner %s at the entry tier\n", store.CleanText(id))
		}
	} else if n := len(rep.Created); n > 0 {
		fmt.Fprintf(w, "%s new\n", model.Plural(n, "partner", "partners"))
	}
	for _, u := range rep.Unknown {
		fmt.Fprintf(c.env.Stderr, "unknown partner: %s\n", store.CleanText(u))
	}
}
