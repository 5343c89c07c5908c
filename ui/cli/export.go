package cli

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// table is rows with a header, written as csv, json or md.
type table struct {
	header []string
	rows   [][]string
	// lists, bools and numbers name the columns JSON writes as arrays
	// (split at ";"), as true/false and as numbers rather than as strings.
	lists, bools, numbers []string
}

func runExport(c *ctx, args []string) error {
	fs := c.flagSet("export", "partners|production|history|review|scorecards --format csv|json|md [-o FILE]",
		"Write partners, production, tier history or a review for other tools, or the\npartner-facing scorecards (md: one file per partner into the folder -o names).")
	format := fs.String("format", "csv", "`csv`, json or md")
	periodFlag := fs.String("period", "", "review: the `period` (default: the open or latest review)")
	outFlag := fs.String("o", "", "write to `FILE` (scorecards as md: a folder) instead of stdout")
	partnerFlag := fs.String("partner", "", "scorecards: just the partner `NAME`")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	c.safeOutput()
	if err := wantArgs(fs, pos, 1, "partners|production|history|review|scorecards"); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" && *format != "md" {
		return usagef("export: --format %q: want csv, json or md", *format)
	}
	kind := pos[0]
	if !slices.Contains([]string{"partners", "production", "history", "review", "scorecards"}, kind) {
		return usagef("export: unknown kind %q: want partners, production, history, review or scorecards", kind)
	}
	if *periodFlag != "" && kind != "review" {
		return usagef("export: --period goes with review")
	}
	if *partnerFlag != "" && kind != "scorecards" {
		return usagef("export: --partner goes with scorecards")
	}
	if _, err := parsePeriodFlag("export", *periodFlag, nil); err != nil {
		return err
	}
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	p := cfg.Program
	if pos[0] == "scorecards" {
		return c.exportScorecards(cfg, st, *format, *outFlag, *partnerFlag)
	}
	var t table
	switch pos[0] {
	case "partners":
		t, err = partnersTable(p, st)
	case "production":
		t, err = productionTable(p, st)
	case "history":
		t, err = historyTable(p, st)
	case "review":
		var r *model.Review
		if r, err = exportedReview(st, p, *periodFlag); err == nil {
			t = reviewTable(p, r)
		}
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", pos[0], err)
	}
	return c.writeOut(*outFlag, func(w io.Writer) error { return t.write(w, *format) })
}

// writeOut writes to stdout, or to a file written whole: a temp file
// beside it, renamed into place, so a failed export leaves no half file.
func (c *ctx) writeOut(path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(c.env.Stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	// CreateTemp makes 0600; an export is meant to be read by others (a
	// scorecard goes to the partner).
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(c.env.Stderr, "wrote %s\n", path)
	return nil
}

// productionTable is one row per partner and period with every metric, so
// the aggregated numbers can be checked in a spreadsheet.
func productionTable(p *model.Program, st *store.Store) (table, error) {
	snap, err := st.Snapshot()
	if err != nil {
		return table{}, err
	}
	t := table{header: []string{"partner", "period"}}
	for _, m := range p.Metrics {
		t.header = append(t.header, m.Key)
		t.numbers = append(t.numbers, m.Key)
	}
	for _, pa := range snap.Partners {
		s := snap.Production[pa.ID]
		for q := range s.Periods() {
			row := []string{pa.ID, q.String()}
			for _, m := range p.Metrics {
				cell := ""
				if v, ok := s.Get(q, m.Key); ok {
					cell = strconv.FormatFloat(v, 'f', -1, 64)
				}
				row = append(row, cell)
			}
			t.rows = append(t.rows, row)
		}
	}
	return t, nil
}

func partnersTable(p *model.Program, st *store.Store) (table, error) {
	ps, err := st.Partners()
	if err != nil {
		return table{}, err
	}
	t := table{header: []string{"id", "name", "track", "manager", "domains", "aliases", "tier", "tier_since", "joined", "status"},
		lists: []string{"domains", "aliases"}}
	for _, pa := range ps {
		status := "active"
		if pa.Exited {
			status = "exited"
		}
		t.rows = append(t.rows, []string{pa.ID, pa.Name, pa.Track, pa.Manager, strings.Join(pa.Domains, ";"), strings.Join(pa.Aliases, ";"),
			pa.Tier, date(pa.TierSince), date(pa.Joined), status})
	}
	return t, nil
}

func historyTable(p *model.Program, st *store.Store) (table, error) {
	hs, err := st.AllHistory()
	if err != nil {
		return table{}, err
	}
	t := table{header: []string{"at", "partner", "period", "from", "to", "kind", "override", "reason", "by"},
		bools: []string{"override"}}
	for _, h := range hs {
		t.rows = append(t.rows, []string{h.At.UTC().Format(time.RFC3339), h.Partner, h.Period.String(), h.From, h.To,
			string(h.Kind), strconv.FormatBool(h.Override), h.Reason, h.By})
	}
	return t, nil
}

func exportedReview(st *store.Store, p *model.Program, flagValue string) (*model.Review, error) {
	if flagValue != "" {
		period, err := parsePeriodFlag("export", flagValue, p)
		if err != nil {
			return nil, err
		}
		return st.Review(period)
	}
	// Pick the review by the headers, then read that one alone.
	infos, err := st.ReviewInfos(p)
	if err != nil {
		return nil, err
	}
	var latest *model.Review
	for _, in := range infos {
		r := in.Review
		if r.Status == model.ReviewOpen {
			latest = r
			break
		}
		if latest == nil || latest.Period.Before(r.Period) {
			latest = r
		}
	}
	if latest == nil {
		return nil, errors.New("no review yet: start one with `partnertiers review`")
	}
	return st.Review(latest.Period)
}

func reviewTable(p *model.Program, r *model.Review) table {
	t := table{header: []string{"period", "status", "id", "name", "kind", "from", "to", "earned", "decision", "final", "reason", "explanation", "by"}}
	for _, pj := range reviewJSON(p, r).Proposals {
		t.rows = append(t.rows, []string{r.Period.String(), string(r.Status), pj.ID, pj.Name, pj.Kind, pj.From, pj.To, pj.Earned,
			pj.Decision, pj.Final, pj.Reason, pj.Explanation, pj.By})
	}
	return t
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (t table) write(w io.Writer, format string) error {
	switch format {
	case "json":
		out := make([]map[string]any, len(t.rows))
		for i, row := range t.rows {
			m := make(map[string]any, len(row))
			for j, h := range t.header {
				switch {
				case slices.Contains(t.lists, h):
					m[h] = nonNil(strings.FieldsFunc(row[j], func(r rune) bool { return r == ';' }))
				case slices.Contains(t.bools, h):
					m[h] = row[j] == "true"
				case slices.Contains(t.numbers, h):
					if v, err := strconv.ParseFloat(row[j], 64); err == nil {
						m[h] = v
					} else {
						m[h] = nil // no value that period
					}
				default:
					m[h] = row[j]
				}
			}
			out[i] = m
		}
		return writeJSON(w, out)
	case "md":
		esc := strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ")
		fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(t.header, " | "), strings.Repeat(" --- |", len(t.header)))
		for _, row := range t.rows {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = esc.Replace(store.CleanText(c))
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		}
		return nil
	}
	cw := csv.NewWriter(w)
	cw.Write(t.header)
	for _, row := range t.rows {
		// A cell starting with = + - @ would run as a formula in a spreadsheet.
		safe := make([]string, len(row))
		for i, c := range row {
			// Import cleans every text cell, so Print changes nothing a
			// round trip would keep; it keeps a terminal safe from text
			// stored before that. It runs first: what it removes could
			// hide a formula.
			c = safetext.Print(c)
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) && !slices.Contains(t.numbers, t.header[i]) {
				c = "'" + c
			}
			safe[i] = c
		}
		cw.Write(safe)
	}
	cw.Flush()
	return cw.Error()
}
