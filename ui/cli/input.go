package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/partnertiers/partnertiers/store"
)

// maxImportBytes bounds a file given to import, CSV or .ics alike. The
// importers hold the file and what they parse from it in memory at once
// (a few times its size), so a 200 MB file by mistake (a log, a disk
// image, a whole mailbox export) would cost gigabytes. Real inputs are far
// below: a roster of 100k partners is about 10 MB, a year of CRM deals a
// few tens of MB, a team calendar a few MB; 64 MB is also what a calendar
// download may send (maxCalendarBytes).
const maxImportBytes = 64 << 20

// readInput reads an import file whole, or standard input for "-", and
// names it for messages: the file's base name, or "stdin". A file over
// maxImportBytes is refused before a byte of it is read; standard input is
// read up to one byte past the limit.
func (c *ctx) readInput(file string) ([]byte, string, error) {
	if file == "-" {
		data, err := io.ReadAll(io.LimitReader(c.env.Stdin, maxImportBytes+1))
		if err != nil {
			return nil, "", fmt.Errorf("import: stdin: %w", err)
		}
		if len(data) > maxImportBytes {
			return nil, "", fmt.Errorf("import: stdin: more than the %s limit for an import file", megabytes(maxImportBytes))
		}
		return data, "stdin", nil
	}
	name := store.CleanText(filepath.Base(file))
	f, err := os.Open(file)
	if err != nil {
		return nil, "", pathError(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, "", pathError(err)
	}
	if info.IsDir() {
		return nil, "", fmt.Errorf("import: %s is a folder, not a file", name)
	}
	if info.Size() > maxImportBytes {
		return nil, "", fmt.Errorf("import: %s: %s is over the %s limit for an import file", name, megabytes(info.Size()), megabytes(maxImportBytes))
	}
	// A file that grows while it is read (or a FIFO, whose size says
	// nothing) is cut off at the limit all the same.
	data, err := io.ReadAll(io.LimitReader(f, maxImportBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("import: %s: %w", name, err)
	}
	if len(data) > maxImportBytes {
		return nil, "", fmt.Errorf("import: %s: more than the %s limit for an import file", name, megabytes(maxImportBytes))
	}
	return data, name, nil
}

// pathError says which file failed and why, its path cleaned: a file name
// is text too.
func pathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("import: %s: %w", store.CleanText(pe.Path), pe.Err)
	}
	return fmt.Errorf("import: %w", err)
}

// megabytes writes a size in whole MB (MiB), rounded up: 200 MB, 64 MB.
func megabytes(n int64) string {
	return fmt.Sprintf("%d MB", (n+1<<20-1)>>20)
}
