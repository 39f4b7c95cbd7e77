package sfload

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseFileFormatOptions applies option text (the inside of FILE_FORMAT = ( … ),
// or the tail of CREATE FILE FORMAT name …) on top of base. Unknown options
// and bad values give Snowflake-like errors. A TYPE that differs from
// base.Type starts again from that type's defaults.
func ParseFileFormatOptions(base FileFormat, text string) (FileFormat, error) {
	toks, err := lex(text)
	if err != nil {
		return base, err
	}
	p := &parser{toks: toks}
	return parseFormatOptions(p, base, false)
}

// parseFormatOptions reads KEY = value pairs until the end or, when nested,
// a closing parenthesis (left unread).
func parseFormatOptions(p *parser, base FileFormat, nested bool) (FileFormat, error) {
	type kv struct {
		key  string
		vals []string
		kind byte
	}
	var opts []kv
	for p.more() && !(nested && p.peek().kind == ')') {
		if p.peek().kind == ',' {
			p.next()
			continue
		}
		k := p.next()
		if k.kind != 'i' {
			return base, syntaxErr(fmt.Sprintf("unexpected '%s'", k.text))
		}
		if err := p.expect('='); err != nil {
			return base, err
		}
		if k.text == "NULL_IF" {
			vals, err := p.list(k.text)
			if err != nil {
				return base, err
			}
			opts = append(opts, kv{k.text, vals, 's'})
			continue
		}
		v, err := p.value(k.text)
		if err != nil {
			return base, err
		}
		opts = append(opts, kv{k.text, []string{v.written()}, v.kind})
	}
	ff := base
	for _, o := range opts {
		if o.key == "TYPE" {
			t := strings.ToUpper(o.vals[0])
			switch t {
			case "CSV", "PARQUET":
			case "JSON", "AVRO", "ORC", "XML", "CUSTOM":
				return base, propErr("emulator: file format TYPE = %s is not supported (only CSV and PARQUET)", t)
			default:
				return base, propErr("invalid value ['%s'] for parameter 'TYPE'", o.vals[0])
			}
			if t != ff.Type {
				ff = DefaultFileFormat(t)
			}
		}
	}
	for _, o := range opts {
		if o.key == "TYPE" {
			continue
		}
		if err := ff.set(o.key, o.vals, o.kind); err != nil {
			return base, err
		}
	}
	return ff, ff.check()
}

// options valid per type (CREATE FILE FORMAT, formatTypeOptions).
var csvOptions = map[string]bool{
	"COMPRESSION": true, "RECORD_DELIMITER": true, "FIELD_DELIMITER": true, "MULTI_LINE": true,
	"FILE_EXTENSION": true, "PARSE_HEADER": true, "SKIP_HEADER": true, "SKIP_BLANK_LINES": true,
	"DATE_FORMAT": true, "TIME_FORMAT": true, "TIMESTAMP_FORMAT": true, "BINARY_FORMAT": true,
	"ESCAPE": true, "ESCAPE_UNENCLOSED_FIELD": true, "TRIM_SPACE": true, "FIELD_OPTIONALLY_ENCLOSED_BY": true,
	"NULL_IF": true, "ERROR_ON_COLUMN_COUNT_MISMATCH": true, "REPLACE_INVALID_CHARACTERS": true,
	"EMPTY_FIELD_AS_NULL": true, "SKIP_BYTE_ORDER_MARK": true, "ENCODING": true, "VALIDATE_UTF8": true,
	"COMMENT": true,
}

var parquetOptions = map[string]bool{
	"COMPRESSION": true, "BINARY_AS_TEXT": true, "USE_LOGICAL_TYPE": true, "TRIM_SPACE": true,
	"USE_VECTORIZED_SCANNER": true, "REPLACE_INVALID_CHARACTERS": true, "NULL_IF": true, "COMMENT": true,
}

func (ff *FileFormat) set(key string, vals []string, kind byte) error {
	valid := csvOptions
	if ff.Type == "PARQUET" {
		valid = parquetOptions
	}
	if !csvOptions[key] && !parquetOptions[key] {
		return propErr("invalid property '%s' for 'FILE_FORMAT'", key)
	}
	if !valid[key] {
		return propErr("property '%s' is not valid for file format type %s", key, ff.Type)
	}
	v := ""
	if len(vals) > 0 {
		v = vals[0] // NULL_IF = () has none
	}
	up := strings.ToUpper(v)
	bad := func() error { return propErr("invalid value ['%s'] for parameter '%s'", v, key) }
	boolean := func(dst *bool) error {
		switch up {
		case "TRUE":
			*dst = true
		case "FALSE":
			*dst = false
		default:
			return bad()
		}
		return nil
	}
	// char reads a single-byte option that may be NONE.
	char := func(dst *string) error {
		if kind == 'i' && up == "NONE" {
			*dst = ""
			return nil
		}
		c, err := decodeDelimiter(v)
		if err != nil || len(c) != 1 {
			return bad()
		}
		*dst = c
		return nil
	}
	switch key {
	case "COMPRESSION":
		okCSV := map[string]bool{"AUTO": true, "GZIP": true, "BZ2": true, "BROTLI": true, "ZSTD": true, "DEFLATE": true, "RAW_DEFLATE": true, "NONE": true}
		okPQ := map[string]bool{"AUTO": true, "LZO": true, "SNAPPY": true, "NONE": true}
		if ff.Type == "PARQUET" && !okPQ[up] || ff.Type != "PARQUET" && !okCSV[up] {
			return bad()
		}
		ff.Compression = up
	case "RECORD_DELIMITER", "FIELD_DELIMITER":
		d := ""
		if !(kind == 'i' && up == "NONE") {
			var err error
			if d, err = decodeDelimiter(v); err != nil || d == "" || len(d) > 20 {
				return bad()
			}
		}
		if key == "RECORD_DELIMITER" {
			ff.RecordDelimiter = d
		} else {
			ff.FieldDelimiter = d
		}
	case "MULTI_LINE":
		return boolean(&ff.MultiLine)
	case "FILE_EXTENSION":
		ff.FileExtension = v
	case "PARSE_HEADER":
		return boolean(&ff.ParseHeader)
	case "SKIP_HEADER":
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return bad()
		}
		ff.SkipHeader = n
	case "SKIP_BLANK_LINES":
		return boolean(&ff.SkipBlankLines)
	case "DATE_FORMAT", "TIME_FORMAT", "TIMESTAMP_FORMAT":
		if v == "" {
			return bad()
		}
		if kind == 'i' {
			if up != "AUTO" {
				return bad()
			}
			v = "AUTO"
		}
		switch key {
		case "DATE_FORMAT":
			ff.DateFormat = v
		case "TIME_FORMAT":
			ff.TimeFormat = v
		default:
			ff.TimestampFormat = v
		}
	case "BINARY_FORMAT":
		if up != "HEX" && up != "BASE64" && up != "UTF8" && up != "UTF-8" {
			return bad()
		}
		ff.BinaryFormat = strings.ReplaceAll(up, "-", "")
	case "ESCAPE":
		return char(&ff.Escape)
	case "ESCAPE_UNENCLOSED_FIELD":
		return char(&ff.EscapeUnenclosedField)
	case "FIELD_OPTIONALLY_ENCLOSED_BY":
		if err := char(&ff.FieldOptionallyEnclosedBy); err != nil {
			return err
		}
		// Only the single or the double quote may enclose fields.
		if q := ff.FieldOptionallyEnclosedBy; q != "" && q != `"` && q != "'" {
			return bad()
		}
	case "NULL_IF":
		ff.NullIf = append([]string(nil), vals...)
	case "TRIM_SPACE":
		return boolean(&ff.TrimSpace)
	case "ERROR_ON_COLUMN_COUNT_MISMATCH":
		return boolean(&ff.ErrorOnColumnCountMismatch)
	case "REPLACE_INVALID_CHARACTERS":
		return boolean(&ff.ReplaceInvalidCharacters)
	case "VALIDATE_UTF8": // deprecated: the inverse of REPLACE_INVALID_CHARACTERS
		var b bool
		if err := boolean(&b); err != nil {
			return err
		}
		ff.ReplaceInvalidCharacters = !b
	case "EMPTY_FIELD_AS_NULL":
		return boolean(&ff.EmptyFieldAsNull)
	case "SKIP_BYTE_ORDER_MARK":
		return boolean(&ff.SkipByteOrderMark)
	case "ENCODING":
		switch strings.ReplaceAll(up, "-", "") {
		case "UTF8":
			ff.Encoding = "UTF8"
		case "ISO88591", "LATIN1", "WINDOWS1252", "UTF16", "UTF16BE", "UTF16LE", "UTF32", "UTF32BE", "UTF32LE",
			"BIG5", "EUCJP", "EUCKR", "GB18030", "SHIFT_JIS", "WINDOWS1250", "WINDOWS1251", "WINDOWS1253",
			"WINDOWS1254", "WINDOWS1255", "ISO88592", "ISO88595", "ISO88596", "ISO88597", "ISO88598", "ISO88599",
			"ISO885915", "IBM420", "IBM424", "IBM855", "IBM866", "IBM1252", "KOI8R":
			// Documented encodings the emulator can parse but not decode: Convert
			// reports them (only UTF8 and ISO-8859-1/LATIN1/WINDOWS1252 are read).
			ff.Encoding = strings.ReplaceAll(up, "-", "")
		default:
			return bad()
		}
	case "BINARY_AS_TEXT":
		return boolean(&ff.BinaryAsText)
	case "USE_LOGICAL_TYPE":
		return boolean(&ff.UseLogicalType)
	case "USE_VECTORIZED_SCANNER":
		return boolean(&ff.UseVectorizedScanner)
	case "COMMENT":
		ff.Comment = v
	}
	return nil
}

// decodeDelimiter turns a delimiter option value into bytes: string-literal
// escapes were already applied by the lexer; a value written as hex
// (0x1F or 0X1F1E) is the bytes it names
// (CREATE FILE FORMAT: "octal values (prefixed by \\) or hex values (prefixed by 0x or \x)").
func decodeDelimiter(v string) (string, error) {
	if len(v) > 2 && (v[:2] == "0x" || v[:2] == "0X") && len(v)%2 == 0 {
		var b []byte
		for i := 2; i < len(v); i += 2 {
			n, err := strconv.ParseUint(v[i:i+2], 16, 8)
			if err != nil {
				return v, nil
			}
			b = append(b, byte(n))
		}
		return string(b), nil
	}
	return v, nil
}

// check applies the cross-option rules of CREATE FILE FORMAT.
func (ff *FileFormat) check() error {
	if ff.Type != "CSV" {
		return nil
	}
	fd, rd := ff.FieldDelimiter, ff.RecordDelimiter
	if fd != "" && rd != "" && (strings.Contains(fd, rd) || strings.Contains(rd, fd)) {
		return propErr("The field delimiter '%s' and the record delimiter '%s' must not be a substring of each other", fd, rd)
	}
	if q := ff.FieldOptionallyEnclosedBy; q != "" && (q == fd || q == rd) {
		return propErr("the FIELD_OPTIONALLY_ENCLOSED_BY character must differ from the delimiters")
	}
	return nil
}
