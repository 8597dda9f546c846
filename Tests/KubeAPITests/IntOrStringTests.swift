// IntOrString against upstream's behaviour; tables from k8s.io/apimachinery
// pkg/util/intstr/intstr_test.go (v1.32) unless marked otherwise.
import Foundation
import KubeAPI
import XCTest

final class IntOrStringTests: XCTestCase {
    private struct Holder: Codable, Equatable {
        var val: IntOrString
    }

    func testDecodeJSON() throws {
        let table: [(String, IntOrString)] = [
            (#"{"val": 123}"#, .int(123)), (#"{"val": "123"}"#, .string("123")),
            (#"{"val": -2147483648}"#, .int(.min)), (#"{"val": 2147483647}"#, .int(.max)),
            (#"{"val": "25%"}"#, .string("25%")), (#"{"val": "http"}"#, .string("http")),
            (#"{"val": ""}"#, .string("")),
        ]
        for (json, expected) in table {
            XCTAssertEqual(try JSONDecoder().decode(Holder.self, from: Data(json.utf8)).val, expected, json)
        }
    }

    func testDecodeRejectsOtherJSON() {
        // Upstream: json: cannot unmarshal … into Go value of type int32.
        let rejected = [
            #"{"val": 2147483648}"#, #"{"val": -2147483649}"#, #"{"val": 1.5}"#, #"{"val": true}"#, #"{"val": {}}"#,
        ]
        for json in rejected {
            XCTAssertThrowsError(try JSONDecoder().decode(Holder.self, from: Data(json.utf8)), json) { error in
                guard case .typeMismatch(let type, _)? = error as? DecodingError else {
                    return XCTFail("\(json): \(error)")
                }
                XCTAssertTrue(type == IntOrString.self, json)
            }
        }
    }

    func testEncodeJSON() throws {
        let table: [(IntOrString, String)] = [
            (.int(123), #"{"val":123}"#), (.string("123"), #"{"val":"123"}"#), (.int(-1), #"{"val":-1}"#),
            (.string("25%"), #"{"val":"25%"}"#),
        ]
        for (value, expected) in table {
            let json = String(decoding: try JSONEncoder().encode(Holder(val: value)), as: UTF8.self)
            XCTAssertEqual(json, expected)
            XCTAssertEqual(try JSONDecoder().decode(Holder.self, from: Data(json.utf8)).val, value, json)
        }
    }

    func testDescriptionAndEquality() {
        XCTAssertEqual(IntOrString.int(8080).description, "8080")
        XCTAssertEqual(IntOrString.int(-3).description, "-3")
        XCTAssertEqual(IntOrString.string("http").description, "http")
        XCTAssertNotEqual(IntOrString.int(80), IntOrString.string("80"))
        XCTAssertEqual(Set([IntOrString.int(80), .string("80"), .int(80)]).count, 2)
    }

    func testParse() {
        // TestParse: an int32 when the text is one, else the text.
        let table: [(String, IntOrString)] = [
            ("0", .int(0)), ("2147483647", .int(2_147_483_647)), ("-2147483648", .int(-2_147_483_648)),
            ("2147483648", .string("2147483648")), ("-2147483649", .string("-2147483649")),
            ("9223372036854775807", .string("9223372036854775807")),
            ("-9223372036854775808", .string("-9223372036854775808")),
            ("9223372036854775808", .string("9223372036854775808")),
            ("-9223372036854775809", .string("-9223372036854775809")),
            ("+7", .int(7)), (" 7", .string(" 7")), ("7%", .string("7%")), ("", .string("")),
        ]
        for (text, expected) in table { XCTAssertEqual(IntOrString(parsing: text), expected, text) }
    }

    func testScaledValue() throws {
        // TestGetIntFromIntOrPercent, plus rounding of negative and fractional results.
        let table: [(IntOrString, Int, Bool, Int)] = [
            (.int(123), 0, false, 123), (.int(123), 1000, true, 123), (.int(-5), 10, true, -5),
            (.string("90%"), 100, true, 90), (.string("90%"), 95, true, 86), (.string("90%"), 95, false, 85),
            (.string("40%"), 0, true, 0), (.string("25%"), 10, true, 3), (.string("25%"), 10, false, 2),
            (.string("0%"), 7, true, 0), (.string("100%"), 7, false, 7), (.string("150%"), 3, true, 5),
            (.string("-10%"), 95, true, -9), (.string("-10%"), 95, false, -10), (.string("+10%"), 95, false, 9),
            (.string("007%"), 100, false, 7),
            // float64 arithmetic, and amd64's conversion of an out-of-range float.
            (.string("9223372036854775807%"), 100, false, .min),
        ]
        for (value, total, roundUp, expected) in table {
            XCTAssertEqual(try value.scaledValue(total: total, roundUp: roundUp), expected, "\(value) of \(total)")
        }
    }

    func testScaledValueErrors() {
        let notPercent = "invalid value for IntOrString: invalid type: string is not a percentage"
        let range = "value out of range"
        func atoi(_ value: String, _ number: String, _ reason: String = "invalid syntax") -> String {
            "invalid value for IntOrString: invalid value \(value): strconv.Atoi: parsing \(number): \(reason)"
        }
        let table: [(String, String)] = [
            ("200", notPercent), ("30%0", notPercent), ("a", notPercent), ("40#", notPercent), ("90", notPercent),
            ("", notPercent), ("90%\n", notPercent),
            ("%", atoi(#""%""#, #""""#)),
            ("a%", atoi(#""a%""#, #""a""#)),
            ("#%", atoi(##""#%""##, ##""#""##)),
            ("40%%", atoi(#""40%%""#, #""40%""#)),
            ("+%", atoi(#""+%""#, #""+""#)),
            ("4 0%", atoi(#""4 0%""#, #""4 0""#)),
            ("1_000%", atoi(#""1_000%""#, #""1_000""#)),
            ("9223372036854775808%", atoi(#""9223372036854775808%""#, #""9223372036854775808""#, range)),
            ("-9223372036854775809%", atoi(#""-9223372036854775809%""#, #""-9223372036854775809""#, range)),
            // The scan stops at the first problem: overflow before the bad character…
            ("99999999999999999999x%", atoi(#""99999999999999999999x%""#, #""99999999999999999999x""#, range)),
            // …a bad character before overflow.
            ("x99999999999999999999%", atoi(#""x99999999999999999999%""#, #""x99999999999999999999""#)),
            // Quoting as Go's %q.
            (#"a"b\%"#, atoi(#""a\"b\\%""#, #""a\"b\\""#)),
            ("\t\u{7F}%", atoi(#""\t\x7f%""#, #""\t\x7f""#)),
            ("é\u{A0}\u{2028}😀%", atoi(#""é\u00a0\u2028😀%""#, #""é\u00a0\u2028😀""#)),
            ("\u{E000}%", atoi(#""\ue000%""#, #""\ue000""#)),
            ("\u{F0000}%", atoi(#""\U000f0000%""#, #""\U000f0000""#)),
        ]
        for (text, expected) in table {
            XCTAssertThrowsError(try IntOrString.string(text).scaledValue(total: 100, roundUp: true), text) { error in
                XCTAssertEqual((error as? IntOrStringError)?.description, expected, text)
            }
        }
    }
}
