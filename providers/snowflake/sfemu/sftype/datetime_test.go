package sftype

import "testing"

func TestCoerceDateAuto(t *testing.T) {
	runCoerce(t, CoerceOptions{}, []coerceCase{
		{"DATE", "2024-02-29", "2024-02-29", false},
		{"DATE", "0001-01-01", "0001-01-01", false},
		{"DATE", "9999-12-31", "9999-12-31", false},
		{"DATE", "29-Feb-2024", "2024-02-29", false},
		{"DATE", "02/29/2024", "2024-02-29", false},
		{"DATE", "2023-02-29", "Date '2023-02-29' is not recognized", true},
		{"DATE", "0000-01-01", "Date '0000-01-01' is not recognized", true},
		{"DATE", "10000-01-01", "Date '10000-01-01' is not recognized", true},
		{"DATE", "2024-1-2", "Date '2024-1-2' is not recognized", true},
		{"DATE", "2024-01-02 00:00:00", "Date '2024-01-02 00:00:00' is not recognized", true},
		{"DATE", "infinity", "Date 'infinity' is not recognized", true},
		{"DATE", "2024-01-02 BC", "Date '2024-01-02 BC' is not recognized", true},
		{"DATE", "", "Date '' is not recognized", true},
	})
}

func TestCoerceTimeAuto(t *testing.T) {
	runCoerce(t, CoerceOptions{}, []coerceCase{
		{"TIME", "13:14:15", "13:14:15", false},
		{"TIME", "13:14", "13:14:00", false},
		{"TIME", "13:14:15.123456", "13:14:15.123456", false},
		{"TIME", "13:14:15.123456000", "13:14:15.123456", false},
		{"TIME", "13:14:15.1234567", "emulator: value '13:14:15.1234567' has fractional seconds beyond microseconds, which the PostgreSQL-backed emulator cannot store", true},
		{"TIME(3)", "13:14:15.1239", "13:14:15.123000", false},
		{"TIME(0)", "13:14:15.9", "13:14:15", false},
		{"TIME", "01:02:03 PM", "13:02:03", false},
		{"TIME", "12:00 AM", "00:00:00", false},
		{"TIME", "13:14:15+05:00", "13:14:15", false},
		{"TIME", "24:00:00", "Time '24:00:00' is not recognized", true},
		{"TIME", "13:60:00", "Time '13:60:00' is not recognized", true},
		{"TIME", "13 PM", "Time '13 PM' is not recognized", true},
	})
}

func TestCoerceTimestampAuto(t *testing.T) {
	runCoerce(t, CoerceOptions{}, []coerceCase{
		{"TIMESTAMP_NTZ(6)", "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05.123456", false},
		{"TIMESTAMP_NTZ(6)", "2024-01-02T03:04:05", "2024-01-02 03:04:05", false},
		{"TIMESTAMP_NTZ(6)", "2024-01-02", "2024-01-02 00:00:00", false},
		{"TIMESTAMP_NTZ(6)", "2024-01-02 03:04", "2024-01-02 03:04:00", false},
		{"TIMESTAMP_NTZ(6)", "2024-01-02 03:04:05+05:00", "2024-01-02 03:04:05", false},
		{"TIMESTAMP_NTZ(3)", "2024-01-02 03:04:05.987654", "2024-01-02 03:04:05.987000", false},
		{"TIMESTAMP_NTZ(9)", "2024-01-02 03:04:05.123456789", "emulator: value '2024-01-02 03:04:05.123456789' has fractional seconds beyond microseconds, which the PostgreSQL-backed emulator cannot store", true},
		{"TIMESTAMP_NTZ(6)", "02/01/2024 03:04:05", "2024-02-01 03:04:05", false},
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05.5+05:30", "2024-01-02 03:04:05.500000+05:30", false},
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05 -0800", "2024-01-02 03:04:05-08:00", false},
		{"TIMESTAMP_TZ(6)", "2024-01-02T03:04:05Z", "2024-01-02 03:04:05+00:00", false},
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05+00", "2024-01-02 03:04:05+00:00", false},
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05", "2024-01-02 03:04:05+00:00", false},
		{"TIMESTAMP_LTZ(6)", "2024-01-02 03:04:05-02:00", "2024-01-02 03:04:05-02:00", false},
		{"TIMESTAMP_TZ(6)", "Thu, 21 Dec 2000 16:01:07 +0200", "2000-12-21 16:01:07+02:00", false},
		{"TIMESTAMP_TZ(6)", "Mon Jul 08 18:09:51 +0000 2013", "2013-07-08 18:09:51+00:00", false},
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05+25:00", "Timestamp '2024-01-02 03:04:05+25:00' is not recognized", true},
		{"TIMESTAMP_NTZ(6)", "2024-13-02 03:04:05", "Timestamp '2024-13-02 03:04:05' is not recognized", true},
		{"TIMESTAMP_NTZ(6)", "infinity", "Timestamp 'infinity' is not recognized", true},
		{"TIMESTAMP_NTZ(6)", "2024-01-02 03:04:05 BC", "Timestamp '2024-01-02 03:04:05 BC' is not recognized", true},
		{"TIMESTAMP_NTZ(6)", "1700000000", "Timestamp '1700000000' is not recognized", true},
	})
	runCoerce(t, CoerceOptions{TimeZone: "America/Los_Angeles"}, []coerceCase{
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05", "2024-01-02 03:04:05-08:00", false},
		{"TIMESTAMP_LTZ(6)", "2024-07-02 03:04:05", "2024-07-02 03:04:05-07:00", false},
		{"TIMESTAMP_NTZ(6)", "2024-07-02 03:04:05", "2024-07-02 03:04:05", false},
	})
	runCoerce(t, CoerceOptions{TimeZone: "Mars/Olympus"}, []coerceCase{
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05", "Unknown time zone 'Mars/Olympus'", true},
	})
}

func TestCoerceExplicitFormats(t *testing.T) {
	opts := CoerceOptions{
		DateFormat:      "YYYY-MM-DD",
		TimeFormat:      "HH24:MI:SS.FF",
		TimestampFormat: "YYYY-MM-DD HH24:MI:SS.FF TZH:TZM",
	}
	runCoerce(t, opts, []coerceCase{
		{"DATE", "2024-01-02", "2024-01-02", false},
		{"DATE", "02-Jan-2024", "Can't parse '02-Jan-2024' as date with format 'YYYY-MM-DD'", true},
		{"TIME(6)", "03:04:05.25", "03:04:05.250000", false},
		{"TIME(6)", "03:04:05", "Can't parse '03:04:05' as time with format 'HH24:MI:SS.FF'", true},
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05.123456 -00:30", "2024-01-02 03:04:05.123456-00:30", false},
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05.123456 +05:45", "2024-01-02 03:04:05.123456+05:45", false},
		{"TIMESTAMP_TZ(6)", "2024-01-02 03:04:05.123456", "Can't parse '2024-01-02 03:04:05.123456' as timestamp with format 'YYYY-MM-DD HH24:MI:SS.FF TZH:TZM'", true},
	})
	runCoerce(t, CoerceOptions{TimestampFormat: `YYYY-MM-DD"T"HH24:MI:SS`, DateFormat: "DD MON YYYY", TimeFormat: "HH12:MI AM"}, []coerceCase{
		{"TIMESTAMP_NTZ(0)", "2024-01-02T03:04:05", "2024-01-02 03:04:05", false},
		{"DATE", "2 jan 2024", "2024-01-02", false},
		{"TIME(0)", "12:30 PM", "12:30:00", false},
		{"TIME(0)", "1:30 pm", "13:30:00", false},
		{"TIME(0)", "13:30 PM", "Can't parse '13:30 PM' as time with format 'HH12:MI AM'", true},
	})
	runCoerce(t, CoerceOptions{DateFormat: "MMMM DD, YY", TimestampFormat: "YYYYMMDDHH24MISSFF3TZHTZM"}, []coerceCase{
		{"DATE", "March 05, 99", "1999-03-05", false},
		{"DATE", "March 05, 24", "2024-03-05", false},
		{"TIMESTAMP_TZ(3)", "20240102030405123-0130", "2024-01-02 03:04:05.123000-01:30", false},
	})
}
