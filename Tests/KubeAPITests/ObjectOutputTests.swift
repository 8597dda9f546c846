import XCTest

@testable import KubeAPI

/// Golden output of `kubectl get -o yaml` / `-o json`. kubectl prints YAML through
/// sigs.k8s.io/yaml (encoding/json, then go-yaml v2) and JSON through json.MarshalIndent;
/// each expected string below is what that Go code prints for the same object.
final class ObjectOutputTests: XCTestCase {
    /// The object as the API server returns it (compact JSON; whitespace here is for reading).
    private let pod = try! JSONValue.parse(#"""
        {
          "apiVersion": "v1", "kind": "Pod",
          "metadata": {
            "annotations": {
              "kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"labels\":{\"app\":\"web\"},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"image\":\"nginx:1.25\",\"name\":\"nginx\"}]}}\n",
              "note": "a: b", "owner": "*", "script": "#!/bin/sh\necho hi", "weight": "1.5"
            },
            "creationTimestamp": "2024-05-01T12:00:00Z",
            "labels": {"app": "web", "enabled": "true", "port": "80", "tier": "", "version": "- x"},
            "name": "web", "namespace": "default", "resourceVersion": "1234",
            "uid": "6f1c2a3e-9b8d-4e5f-8a7b-1c2d3e4f5a6b"
          },
          "spec": {
            "containers": [{
              "args": ["--port=80", "--verbose", "-v", "no"],
              "command": ["/bin/sh", "-c", "echo start && exec nginx -g 'daemon off;'"],
              "env": [{"name": "GREETING", "value": "hello world"}, {"name": "EMPTY", "value": ""}, {"name": "TILDE", "value": "~"}],
              "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent", "name": "nginx",
              "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"}],
              "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": 0.25}},
              "securityContext": {}, "volumeMounts": []
            }],
            "dnsPolicy": "ClusterFirst", "enableServiceLinks": true,
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "priority": 0, "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
            "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300}]
          },
          "status": {
            "conditions": [{"lastProbeTime": null, "lastTransitionTime": "2024-05-01T12:00:01Z", "status": "True", "type": "Ready"}],
            "phase": "Running", "podIP": "10.88.0.5", "podIPs": [{"ip": "10.88.0.5"}], "qosClass": "Burstable"
          }
        }
        """#)

    func testPodYAML() {
        // Keys sorted, nested maps indented by two, lists level with their key, the
        // last-applied JSON as a `|` block, strings that read as other types in double quotes,
        // ones that start with an indicator or hold ": " in single quotes.
        XCTAssertEqual(pod.yamlText, #"""
        apiVersion: v1
        kind: Pod
        metadata:
          annotations:
            kubectl.kubernetes.io/last-applied-configuration: |
              {"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.25","name":"nginx"}]}}
            note: 'a: b'
            owner: '*'
            script: |-
              #!/bin/sh
              echo hi
            weight: "1.5"
          creationTimestamp: "2024-05-01T12:00:00Z"
          labels:
            app: web
            enabled: "true"
            port: "80"
            tier: ""
            version: '- x'
          name: web
          namespace: default
          resourceVersion: "1234"
          uid: 6f1c2a3e-9b8d-4e5f-8a7b-1c2d3e4f5a6b
        spec:
          containers:
          - args:
            - --port=80
            - --verbose
            - -v
            - "no"
            command:
            - /bin/sh
            - -c
            - echo start && exec nginx -g 'daemon off;'
            env:
            - name: GREETING
              value: hello world
            - name: EMPTY
              value: ""
            - name: TILDE
              value: "~"
            image: nginx:1.25
            imagePullPolicy: IfNotPresent
            name: nginx
            ports:
            - containerPort: 80
              name: http
              protocol: TCP
            resources:
              limits:
                cpu: 500m
                memory: 128Mi
              requests:
                cpu: 0.25
            securityContext: {}
            volumeMounts: []
          dnsPolicy: ClusterFirst
          enableServiceLinks: true
          nodeSelector:
            kubernetes.io/os: linux
          priority: 0
          restartPolicy: Always
          terminationGracePeriodSeconds: 30
          tolerations:
          - effect: NoExecute
            key: node.kubernetes.io/not-ready
            operator: Exists
            tolerationSeconds: 300
        status:
          conditions:
          - lastProbeTime: null
            lastTransitionTime: "2024-05-01T12:00:01Z"
            status: "True"
            type: Ready
          phase: Running
          podIP: 10.88.0.5
          podIPs:
          - ip: 10.88.0.5
          qosClass: Burstable
        """# + "\n")
    }

    func testPodJSON() {
        // MarshalIndent's four spaces, `{}`/`[]` on one line, & escaped as \u0026.
        XCTAssertEqual(pod.prettyJSON(), #"""
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "annotations": {
                    "kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"labels\":{\"app\":\"web\"},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"image\":\"nginx:1.25\",\"name\":\"nginx\"}]}}\n",
                    "note": "a: b",
                    "owner": "*",
                    "script": "#!/bin/sh\necho hi",
                    "weight": "1.5"
                },
                "creationTimestamp": "2024-05-01T12:00:00Z",
                "labels": {
                    "app": "web",
                    "enabled": "true",
                    "port": "80",
                    "tier": "",
                    "version": "- x"
                },
                "name": "web",
                "namespace": "default",
                "resourceVersion": "1234",
                "uid": "6f1c2a3e-9b8d-4e5f-8a7b-1c2d3e4f5a6b"
            },
            "spec": {
                "containers": [
                    {
                        "args": [
                            "--port=80",
                            "--verbose",
                            "-v",
                            "no"
                        ],
                        "command": [
                            "/bin/sh",
                            "-c",
                            "echo start \u0026\u0026 exec nginx -g 'daemon off;'"
                        ],
                        "env": [
                            {
                                "name": "GREETING",
                                "value": "hello world"
                            },
                            {
                                "name": "EMPTY",
                                "value": ""
                            },
                            {
                                "name": "TILDE",
                                "value": "~"
                            }
                        ],
                        "image": "nginx:1.25",
                        "imagePullPolicy": "IfNotPresent",
                        "name": "nginx",
                        "ports": [
                            {
                                "containerPort": 80,
                                "name": "http",
                                "protocol": "TCP"
                            }
                        ],
                        "resources": {
                            "limits": {
                                "cpu": "500m",
                                "memory": "128Mi"
                            },
                            "requests": {
                                "cpu": 0.25
                            }
                        },
                        "securityContext": {},
                        "volumeMounts": []
                    }
                ],
                "dnsPolicy": "ClusterFirst",
                "enableServiceLinks": true,
                "nodeSelector": {
                    "kubernetes.io/os": "linux"
                },
                "priority": 0,
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                    {
                        "effect": "NoExecute",
                        "key": "node.kubernetes.io/not-ready",
                        "operator": "Exists",
                        "tolerationSeconds": 300
                    }
                ]
            },
            "status": {
                "conditions": [
                    {
                        "lastProbeTime": null,
                        "lastTransitionTime": "2024-05-01T12:00:01Z",
                        "status": "True",
                        "type": "Ready"
                    }
                ],
                "phase": "Running",
                "podIP": "10.88.0.5",
                "podIPs": [
                    {
                        "ip": "10.88.0.5"
                    }
                ],
                "qosClass": "Burstable"
            }
        }
        """# + "\n")
    }

    func testScalarStyles() {
        let strings: [String: String] = [
            // plain: nothing else reads it back differently
            "plain": "hello world", "url": "http://example.com/a?b=c#frag", "colon": "a:b", "it": "it's",
            "nbsp": "a\u{A0}b",
            // double quotes: plain would be a bool, null, number, timestamp or base-60 number
            "bool": "true", "no": "no", "On": "On", "int": "123", "neg": "-1", "float": "1.5", "exp": "1e3",
            "null": "null", "tilde": "~", "empty": "", "hex": "0x1F", "octal": "0o17", "underscore": "1_000",
            "sexagesimal": "1:20", "date": "2024-05-01", "timestamp": "2024-05-01T12:00:00Z", "inf": ".inf",
            // single quotes: plain is not allowed (indicators, ": ", " #", edge spaces)
            "star": "*", "dash": "- x", "loneDash": "-", "kv": "a: b", "comment": "a #b", "hash": "#tag",
            "lead": " lead", "trail": "trail ", "quote": "'q'", "dquote": "\"q\"", "brace": "{x}",
            "docStart": "---", "question": "? x", "pct": "%x",
            // double quotes with escapes: characters YAML cannot print (tab, controls, beyond
            // U+FFFF, a leading BOM escapes everything), or a space before a line break
            "tab": "a\tb", "bell": "\u{7}", "emoji": "\u{1F600}", "bom": "\u{FEFF}ab", "spaceBreak": "a \nb",
            "crlf": "a\r\nb",
            // literal blocks: chomping indicator from the trailing newlines, indentation
            // indicator when the text starts with a space
            "clip": "one\ntwo\n", "strip": "one\ntwo", "keep": "one\n\n", "indented": "  code\nmore\n",
        ]
        XCTAssertEqual(JSONValue.object(strings.mapValues { .string($0) }).yamlText, #"""
        "On": "On"
        bell: "\a"
        bom: "\uFEFF\x61\x62"
        bool: "true"
        brace: '{x}'
        clip: |
          one
          two
        colon: a:b
        comment: 'a #b'
        crlf: "a\r\nb"
        dash: '- x'
        date: "2024-05-01"
        docStart: '---'
        dquote: '"q"'
        emoji: "\U0001F600"
        empty: ""
        exp: "1e3"
        float: "1.5"
        hash: '#tag'
        hex: "0x1F"
        indented: |2
            code
          more
        inf: ".inf"
        int: "123"
        it: it's
        keep: |+
          one

        kv: 'a: b'
        lead: ' lead'
        loneDash: '-'
        nbsp: a b
        neg: "-1"
        "no": "no"
        "null": "null"
        octal: "0o17"
        pct: '%x'
        plain: hello world
        question: '? x'
        quote: '''q'''
        sexagesimal: "1:20"
        spaceBreak: "a \nb"
        star: '*'
        strip: |-
          one
          two
        tab: "a\tb"
        tilde: "~"
        timestamp: "2024-05-01T12:00:00Z"
        trail: 'trail '
        underscore: "1_000"
        url: http://example.com/a?b=c#frag
        """# + "\n")
    }

    func testNumbers() throws {
        // Floats take Go's forms: encoding/json's for -o json; go-yaml's strconv 'g' for -o yaml,
        // where integral values come back as integers. kubectl holds integers beyond int64 as
        // float64.
        let numbers = try JSONValue.parse(#"""
            {"quarter":0.25,"small":0.00001,"tiny":1e-7,"big":123456789.5,"million":1000000.5,"huge":1e21,"integral":3.0,"bigIntegral":914605357302199552.0,"uint":18446744073709551615,"int":-9223372036854775808,"zero":0,"negative":-2.5,"list":[1,2.5,-0.001],"yes":true,"nothing":null}
            """#)
        XCTAssertEqual(numbers.yamlText, #"""
        big: 1.234567895e+08
        bigIntegral: 914605357302199600
        huge: 1e+21
        int: -9223372036854775808
        integral: 3
        list:
        - 1
        - 2.5
        - -0.001
        million: 1.0000005e+06
        negative: -2.5
        nothing: null
        quarter: 0.25
        small: 1e-05
        tiny: 1e-07
        uint: 1.8446744073709552e+19
        "yes": true
        zero: 0
        """# + "\n")
        XCTAssertEqual(numbers.prettyJSON(), #"""
        {
            "big": 123456789.5,
            "bigIntegral": 914605357302199600,
            "huge": 1e+21,
            "int": -9223372036854775808,
            "integral": 3,
            "list": [
                1,
                2.5,
                -0.001
            ],
            "million": 1000000.5,
            "negative": -2.5,
            "nothing": null,
            "quarter": 0.25,
            "small": 0.00001,
            "tiny": 1e-7,
            "uint": 18446744073709552000,
            "yes": true,
            "zero": 0
        }
        """# + "\n")
    }

    func testShapesFoldingAndKeyOrder() throws {
        // Sequences of sequences and maps in sequences; empty collections in flow style;
        // long scalars folded past column 80; keys over 128 bytes in `? key` form; go-yaml's
        // natural key order (a9 < a09 < a10, non-letters first) against encoding/json's byte
        // order; and JSON escapes (\b and \f as Go 1.22 and later write them).
        let shapes = try JSONValue.parse(#"""
            {"matrix":[[1,2],[],[["deep"]],[{"a":1,"b":[]}]],"items":[{},[],"",null,{"name":"x","tags":["a","b"]}],"order":{"a10":1,"a9":2,"a09":3,"_x":4,"Ab":5,"ab":6,"B":7,"x-1":8,"x.1":9,"x/1":10,"10":11,"9":12},"long":"The quick brown fox jumps over the lazy dog; the quick brown fox jumps over the lazy dog again and again.","longKey":{"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk":"v"},"quotedLong":"- a list-looking string that is long enough to be folded by the emitter when it passes eighty columns","escapes":"<a href=\"x\">&amp;</a>\u2028\u0001\b\f\t/é😀"}
            """#)
        XCTAssertEqual(shapes.yamlText, #"""
        escapes: "<a href=\"x\">&amp;</a>\L\x01\b\f\t/é\U0001F600"
        items:
        - {}
        - []
        - ""
        - null
        - name: x
          tags:
          - a
          - b
        long: The quick brown fox jumps over the lazy dog; the quick brown fox jumps over
          the lazy dog again and again.
        longKey:
          ? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
          : v
        matrix:
        - - 1
          - 2
        - []
        - - - deep
        - - a: 1
            b: []
        order:
          _x: 4
          "9": 12
          "10": 11
          Ab: 5
          B: 7
          a9: 2
          a09: 3
          a10: 1
          ab: 6
          x-1: 8
          x.1: 9
          x/1: 10
        quotedLong: '- a list-looking string that is long enough to be folded by the emitter
          when it passes eighty columns'
        """# + "\n")
        XCTAssertEqual(shapes.prettyJSON(), #"""
        {
            "escapes": "\u003ca href=\"x\"\u003e\u0026amp;\u003c/a\u003e\u2028\u0001\b\f\t/é😀",
            "items": [
                {},
                [],
                "",
                null,
                {
                    "name": "x",
                    "tags": [
                        "a",
                        "b"
                    ]
                }
            ],
            "long": "The quick brown fox jumps over the lazy dog; the quick brown fox jumps over the lazy dog again and again.",
            "longKey": {
                "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk": "v"
            },
            "matrix": [
                [
                    1,
                    2
                ],
                [],
                [
                    [
                        "deep"
                    ]
                ],
                [
                    {
                        "a": 1,
                        "b": []
                    }
                ]
            ],
            "order": {
                "10": 11,
                "9": 12,
                "Ab": 5,
                "B": 7,
                "_x": 4,
                "a09": 3,
                "a10": 1,
                "a9": 2,
                "ab": 6,
                "x-1": 8,
                "x.1": 9,
                "x/1": 10
            },
            "quotedLong": "- a list-looking string that is long enough to be folded by the emitter when it passes eighty columns"
        }
        """# + "\n")
    }

    func testDocumentsThatAreNotMaps() {
        XCTAssertEqual(JSONValue.object([:]).yamlText, "{}\n")
        XCTAssertEqual(JSONValue.object([:]).prettyJSON(), "{}\n")
        XCTAssertEqual(JSONValue.string("a\nb\n").yamlText, "|\n  a\n  b\n")
        XCTAssertEqual(JSONValue.array([.null, .bool(false)]).yamlText, "- null\n- false\n")
    }
}
