package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

func runImport(c *ctx, args []string) error {
	fs := c.flagSet("import", "partners|production|calendar FILE [--shape rows|deals] [--period P] [--dry-run] [--skip-bad] [--create-partners]",
		`Import a partner roster, a production CSV or a calendar in one transaction:
all of it or none of it. A bad row rejects the whole file unless --skip-bad.
Re-importing the same file changes nothing. FILE may be - for standard input;
a calendar may also be an https URL (a calendar's secret iCal address: it is
never printed in full).

Production comes in two shapes. --shape rows (the default): one row per
partner and period, a column per metric. --shape deals: a CRM deal or
opportunity export, one row per deal, its columns mapped in the config's
[import.deals]. Each deal is kept by its id: a deal in several exports counts
once, the later import winning, and moves if its partner changed. The deal
metrics (sourced pipeline, sourced revenue, influenced revenue, registered
deals, win rate) of every partner concerned are aggregated again from all
of its deals; certified reps and joint customers stay with the rows shape.

--period P limits a production import to one period: a rows file without a
period column is about P, and rows of other periods are ignored; of a deals
export only the deals that count in P are read (each stored whole, so every
period it touches stays right).
--dry-run shows what the import would do (partners created, each partner's
metrics per period before → after) and writes nothing.
On a terminal a long import shows a progress bar; a pipe stays quiet.`)
	skipBad := fs.Bool("skip-bad", false, "write the good rows and list the bad ones")
	create := fs.Bool("create-partners", false, "production: add unknown partners at the entry tier")
	shape := fs.String("shape", "rows", "production: rows (one row per partner and period) or deals (a CRM deals export)")
	periodFlag := fs.String("period", "", "production: import only this `period` (2026-Q3, or 2026-H2 when half-yearly)")
	dryRun := fs.Bool("dry-run", false, "partners and production: show what would change and write nothing")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 2, "partners|production|calendar FILE"); err != nil {
		return err
	}
	kind, file := pos[0], pos[1]
	switch kind {
	case "partners", "production":
	case "calendar":
		if *dryRun || *periodFlag != "" {
			return usagef("import: --dry-run and --period are for partners and production")
		}
		return c.importCalendar(file)
	default:
		return usagef("import: unknown kind %q: want partners, production or calendar", kind)
	}
	if *shape != "rows" && *shape != "deals" {
		return usagef("import: unknown --shape %q: want rows or deals", *shape)
	}
	if *shape == "deals" && kind != "production" {
		return usagef("import: --shape deals is for production")
	}
	if *periodFlag != "" && kind != "production" {
		return usagef("import: --period is for production")
	}
	if _, err := parsePeriodFlag("import", *periodFlag, nil); err != nil {
		return err
	}
	data, name, err := c.readInput(file)
	if err != nil {
		return err
	}
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	period, err := parsePeriodFlag("import", *periodFlag, cfg.Program)
	if err != nil {
		return err
	}
	opts := store.ImportOptions{SkipBad: *skipBad, CreatePartners: *create, Now: c.now(), DryRun: *dryRun, Period: period}
	var bar *progressBar
	if w := c.progressOut(); w != nil {
		bar = newProgressBar(w, "importing "+name, c.now)
		bar.text("reading") // parsing the file comes before its rows are counted
		opts.Progress = bar.rows
	}
	var rep store.ImportReport
	if kind == "partners" {
		rep, err = st.ImportPartners(name, data, cfg.Program, opts)
	} else if *shape == "deals" {
		rep, err = st.ImportDeals(name, data, cfg.Program, cfg.Deals, opts)
	} else {
		rep, err = st.ImportProduction(name, data, cfg.Program, productionColumns(cfg), opts)
	}
	if bar != nil {
		bar.done()
	}
	// A rejected file's error lists its bad rows; print them once.
	if err != nil {
		rep.Bad = nil
		c.printReport(kind, rep, cfg.Program, period)
		return err
	}
	c.printReport(kind, rep, cfg.Program, period)
	if rep.Written == 0 && len(rep.Bad) > 0 {
		return fmt.Errorf("%s: every row was bad: nothing imported", rep.File)
	}
	return nil
}

// progressOut is where progress bars go: standard error on a terminal,
// nowhere (nil) when the output is a pipe or a file.
func (c *ctx) progressOut() io.Writer {
	if !c.env.Interactive {
		return nil
	}
	return c.env.Stderr
}

func (c *ctx) printReport(kind string, rep store.ImportReport, prog *model.Program, period model.Period) {
	w := c.env.Stdout
	for _, b := range rep.Bad {
		fmt.Fprintln(c.env.Stderr, b.Error())
	}
	for _, b := range rep.Warnings {
		fmt.Fprintln(c.env.Stderr, "warning: "+b.Error())
	}
	if rep.File == "" {
		return
	}
	if rep.AlreadyImported {
		fmt.Fprintf(w, "%s: already imported, nothing changed\n", rep.File)
		return
	}
	// Always say what happened, a header-only file included.
	written := "written"
	if rep.DryRun {
		written = "would be written (dry run: nothing was)"
	}
	fmt.Fprintf(w, "%s: %s read, %d %s\n", rep.File, model.Plural(rep.Rows, "row", "rows"), rep.Written, written)
	if rep.Outside > 0 {
		fmt.Fprintf(w, "%s outside %s ignored\n", model.Plural(rep.Outside, "row", "rows"), period)
	}
	if len(rep.Bad) > 0 && rep.Written > 0 {
		fmt.Fprintf(w, "%s skipped\n", model.Plural(len(rep.Bad), "bad row", "bad rows"))
	}
	if kind == "production" {
		for _, id := range rep.Created {
			if rep.DryRun {
				fmt.Fprintf(w, "would create partner %s at the entry tier\n", store.CleanText(id))
			} else {
				fmt.Fprintf(w, "created partner %s at the entry tier\n", store.CleanText(id))
			}
		}
	} else if n := len(rep.Created); n > 0 && rep.DryRun {
		fmt.Fprintf(w, "%s would be added\n", model.Plural(n, "partner", "partners"))
	} else if n > 0 {
		fmt.Fprintf(w, "%s new\n", model.Plural(n, "partner", "partners"))
	}
	if len(rep.Created) == 0 { // created ones are reported above, not as unknown
		for _, u := range rep.Unknown {
			fmt.Fprintf(c.env.Stderr, "unknown partner: %s\n", store.CleanText(u))
		}
	}
	if rep.DryRun && kind == "production" {
		printChanges(w, rep.Changes, prog)
	}
}

// printChanges lists a dry run's production changes: the partners touched,
// then one line per partner, period and metric, in the program's metric
// order, with the value before and after ("none" when there is no value).
func printChanges(w io.Writer, changes []store.Change, prog *model.Program) {
	touched := 0
	for i, ch := range changes {
		if i == 0 || changes[i-1].Partner != ch.Partner {
			touched++
		}
	}
	if touched == 0 {
		fmt.Fprintln(w, "no production would change")
		return
	}
	fmt.Fprintf(w, "%s would change:\n", model.Plural(touched, "partner", "partners"))
	order := map[string]int{}
	for i, m := range prog.Metrics {
		order[m.Key] = i
	}
	for _, ch := range changes {
		vals := slices.Clone(ch.Values)
		slices.SortStableFunc(vals, func(a, b store.ValueChange) int { return order[a.Metric] - order[b.Metric] })
		for _, v := range vals {
			from, to := changeValues(prog, v)
			if v.Added {
				from = "none"
			}
			if v.Removed {
				to = "none"
			}
			label := v.Metric
			if m, ok := prog.Metric(v.Metric); ok {
				label = m.Label
			}
			fmt.Fprintf(w, "  %s %s %s: %s → %s\n", store.CleanText(ch.Partner), ch.Period, store.CleanText(label), from, to)
		}
	}
}

// changeValues writes a change as people read it: "$1,234.50", "85%".
func changeValues(prog *model.Program, v store.ValueChange) (from, to string) {
	if m, ok := prog.Metric(v.Metric); ok {
		return model.FormatExact(m.Unit, v.From), model.FormatExact(m.Unit, v.To)
	}
	return plainValue(v.From), plainValue(v.To)
}

func plainValue(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// importCalendar reads an .ics from a file, stdin or an https URL.
func (c *ctx) importCalendar(file string) error {
	var (
		data []byte
		name string
		err  error
	)
	if strings.HasPrefix(strings.ToLower(file), "http://") || strings.HasPrefix(strings.ToLower(file), "https://") {
		client := c.env.HTTP
		if client == nil {
			client = &http.Client{Timeout: 30 * time.Second}
		}
		data, name, err = fetchCalendar(client, file, c.progressOut(), c.now)
	} else {
		data, name, err = c.readInput(file)
	}
	if err != nil {
		return err
	}
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	rep, err := st.ImportCalendar(name, data, store.CalendarOptions{Zone: cfg.Calendar.Zone, Now: c.now()})
	if err != nil {
		return err
	}
	if rep.AlreadyImported {
		fmt.Fprintf(c.env.Stdout, "%s: already imported, nothing changed\n", rep.File)
		return nil
	}
	fmt.Fprintf(c.env.Stdout, "%s: %s read, %d new or updated\n", rep.File, model.Plural(rep.Meetings, "meeting", "meetings"), rep.Written)
	if rep.Meetings == 0 {
		fmt.Fprintf(c.env.Stdout, "%s: no meetings between %s and %s: only the last %d weeks and the next %d are kept\n",
			rep.File, rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly), store.CalendarWeeksBack, store.CalendarWeeksAhead)
	}
	for i, w := range rep.Warnings {
		if i == 20 {
			fmt.Fprintf(c.env.Stderr, "%s: … and %d more warnings\n", rep.File, len(rep.Warnings)-20)
			break
		}
		fmt.Fprintf(c.env.Stderr, "%s: %s\n", rep.File, store.CleanText(w.String()))
	}
	return nil
}

// maxCalendarBytes bounds what a URL may send: a team calendar is a few MB.
const maxCalendarBytes = 64 << 20

// fetchCalendar downloads a calendar's iCal address over https, with a
// timeout. The address is a secret (anyone holding it reads the calendar),
// so only its host is ever printed or stored.
func fetchCalendar(client *http.Client, raw string, progress io.Writer, now func() time.Time) ([]byte, string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, "", fmt.Errorf("import calendar: not a URL: %s", redactURL(raw))
	}
	name := redactURL(raw)
	if u.Scheme != "https" {
		return nil, "", fmt.Errorf("import calendar: %s: only https addresses are fetched (the address is a secret)", name)
	}
	resp, err := client.Get(u.String())
	if err != nil {
		// The error text quotes the URL: say what failed without it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, "", fmt.Errorf("import calendar: %s: %v", name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("import calendar: %s: the server answered %s", name, resp.Status)
	}
	var body io.Reader = io.LimitReader(resp.Body, maxCalendarBytes+1)
	if progress != nil {
		pr := newProgressReader(body, progress, "downloading "+name, resp.ContentLength, now)
		defer pr.done()
		body = pr
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, "", fmt.Errorf("import calendar: %s: %v", name, err)
	}
	if len(data) > maxCalendarBytes {
		return nil, "", fmt.Errorf("import calendar: %s: larger than %d MB", name, maxCalendarBytes>>20)
	}
	return data, name, nil
}

// redactURL keeps the scheme and host of an address and hides the rest.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(an address)"
	}
	return store.CleanText(u.Scheme + "://" + u.Host + "/…")
}
