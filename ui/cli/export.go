package cli

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// table is rows with a header, written as csv, json or md.
type table struct {
	header []string
	rows   [][]string
	// lists and bools name the columns JSON writes as arrays (split at
	// ";") and as true/false rather than as strings.
	lists, bools []string
}

func runExport(c *ctx, args []string) error {
	fs := c.flagSet("export", "partners|history|review --format csv|json|md [--period P]", "Write partners, tier history or a review for other tools.")
	format := fs.String("format", "csv", "`csv`, json or md")
	periodFlag := fs.String("period", "", "review: the `period` (default: the open or latest review)")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 1, "partners|history|review"); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" && *format != "md" {
		return usagef("export: --format %q: want csv, json or md", *format)
	}
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	p := cfg.Program
	var t table
	switch pos[0] {
	case "partners":
		t, err = partnersTable(p, st)
	case "history":
		t, err = historyTable(p, st)
	case "review":
		var r *model.Review
		if r, err = exportedReview(st, p, *periodFlag); err == nil {
			t = reviewTable(p, r)
		}
	default:
		return usagef("export: unknown kind %q: want partners, history or review", pos[0])
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", pos[0], err)
	}
	return t.write(c.env.Stdout, *format)
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
		period, err := model.ParsePeriod(flagValue)
		if err != nil {
			return nil, usagef("export: --period: %v", err)
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
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				c = "'" + c
			}
			safe[i] = c
		}
		cw.Write(safe)
	}
	cw.Flush()
	return cw.Error()
}
