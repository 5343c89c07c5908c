package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressReader draws a one-line progress bar on w while a download is
// read: only on a terminal (a pipe stays quiet), at most every 100 ms,
// and cleared when done.
type progressReader struct {
	r       io.Reader
	w       io.Writer
	label   string
	total   int64 // -1 when the size is not known
	read    int64
	last    time.Time
	now     func() time.Time
	started bool
}

func newProgressReader(r io.Reader, w io.Writer, label string, total int64, now func() time.Time) *progressReader {
	return &progressReader{r: r, w: w, label: label, total: total, now: now}
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if t := p.now(); !p.started || t.Sub(p.last) >= 100*time.Millisecond || err == io.EOF {
		p.started, p.last = true, t
		p.draw()
	}
	return n, err
}

func (p *progressReader) draw() {
	const width = 30
	mb := float64(p.read) / (1 << 20)
	if p.total > 0 {
		frac := min(1, float64(p.read)/float64(p.total))
		filled := int(frac * width)
		fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%% %.1f MB", p.label, strings.Repeat("█", filled), strings.Repeat("░", width-filled), 100*frac, mb)
		return
	}
	fmt.Fprintf(p.w, "\r%s %.1f MB", p.label, mb)
}

// done clears the line so the report that follows starts clean.
func (p *progressReader) done() {
	if p.started {
		fmt.Fprintf(p.w, "\r\033[K")
	}
}
