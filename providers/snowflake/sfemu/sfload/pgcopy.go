package sfload

// PostgreSQL COPY text format: columns separated by tab, rows by newline,
// NULL as \N, and backslash, tab, newline and carriage return escaped
// (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format").

var needsEscape = [256]bool{'\\': true, '\t': true, '\n': true, '\r': true}

func appendCopyText(dst, v []byte) []byte {
	start := 0
	for i, c := range v {
		if !needsEscape[c] {
			continue
		}
		dst = append(dst, v[start:i]...)
		switch c {
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		}
		start = i + 1
	}
	return append(dst, v[start:]...)
}
