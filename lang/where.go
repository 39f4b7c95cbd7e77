package lang

// checkWhere rejects a where clause that could escape the parenthesised
// predicate pgsnow wraps it in: a top-level ';', unbalanced parentheses,
// unterminated quotes, or a comment that would swallow the closing paren.
// It returns "" when the clause is acceptable.
func checkWhere(w string) string {
	depth := 0
	for i := 0; i < len(w); i++ {
		switch c := w[i]; c {
		case '\'', '"':
			j := i + 1
			for ; j < len(w); j++ {
				if w[j] == c {
					if j+1 < len(w) && w[j+1] == c { // doubled quote
						j++
						continue
					}
					break
				}
			}
			if j >= len(w) {
				return "the where clause has an unterminated quote"
			}
			i = j
		case '$':
			// Dollar quoting ($$...$$, $tag$...$tag$) is not parsed here.
			if i+1 < len(w) && (w[i+1] == '$' || isTagStart(w[i+1])) {
				return "the where clause must not use dollar quoting"
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return "the where clause has an unbalanced ')'"
			}
		case ';':
			return "the where clause must be a single condition without ';'"
		case '-':
			if i+1 < len(w) && w[i+1] == '-' {
				return "the where clause must not contain a -- comment"
			}
		case '/':
			if i+1 < len(w) && w[i+1] == '*' {
				return "the where clause must not contain a /* comment */"
			}
		}
	}
	if depth != 0 {
		return "the where clause has an unbalanced '('"
	}
	return ""
}

func isTagStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
