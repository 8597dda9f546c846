import Foundation
import KubeAPI
@testable import Kubelet
import LinuxSys
import XCTest

final class StaticPodSourceTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/swiftlet-static-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp", errno: errno) }
        directory = String(cString: made)
    }

    override func tearDownWithError() throws {
        try Files.removeTree(directory)
    }

    private func write(_ name: String, _ text: String) throws {
        try Files.writeAtomically("\(directory)/\(name)", text)
    }

    private let web = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web}
        spec:
          containers:
          - name: nginx
            image: nginx:1.27
        """

    func testPodsAreNamedAndAnnotatedAsUpstreamStaticPods() throws {
        try write("web.yaml", web)
        try write("db.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: data}
            spec:
              containers: [{name: pg, image: postgres:16}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: data}
            data: {mode: fast}
            """)
        try write(".hidden.yaml", "not: [a pod")
        let snapshot = StaticPodSource.scan(directory: directory, nodeName: "Node1")
        XCTAssertEqual(snapshot.problems, [])
        XCTAssertEqual(snapshot.pods.map(\.fullName), ["data/db-node1", "default/web-node1"])
        let pod = snapshot.pods[1].pod
        XCTAssertEqual(pod.spec.nodeName, "node1")
        XCTAssertEqual(pod.metadata.uid?.count, 32)
        XCTAssertEqual(pod.metadata.annotations?[StaticPodSource.hashAnnotation], pod.metadata.uid)
        XCTAssertEqual(pod.metadata.annotations?[StaticPodSource.sourceAnnotation], "file")
        XCTAssertEqual(pod.spec.restartPolicy, .always, "API defaults applied")
        XCTAssertEqual(pod.spec.containers.first?.imagePullPolicy, .ifNotPresent)
        XCTAssertEqual(snapshot.pods[1].file, "\(directory)/web.yaml")
        XCTAssertEqual(snapshot.configMaps.map(\.metadata.name), ["settings"])

        // The same content gives the same hash; an edit a new one.
        XCTAssertEqual(StaticPodSource.scan(directory: directory, nodeName: "node1").pods[1].hash, snapshot.pods[1].hash)
        try write("web.yaml", web.replacingOccurrences(of: "nginx:1.27", with: "nginx:1.28"))
        XCTAssertNotEqual(StaticPodSource.scan(directory: directory, nodeName: "node1").pods[1].hash, snapshot.pods[1].hash)
    }

    func testABadFileIsAProblemAndChangesNothingElse() throws {
        try write("a-web.yaml", web)
        try write("b-broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n")
        try write("c-invalid.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: Bad_Name}
            spec:
              containers: [{name: c}]
            """)
        try write("d-dup.yaml", web)
        let snapshot = StaticPodSource.scan(directory: directory, nodeName: "n")
        XCTAssertEqual(snapshot.pods.map(\.fullName), ["default/web-n"])
        XCTAssertEqual(snapshot.problems.map(\.file), ["b-broken.yaml", "c-invalid.yaml", "d-dup.yaml"].map { "\(directory)/\($0)" })
        let messages = snapshot.problems.map(\.message)
        XCTAssertTrue(messages[0].contains("line"), messages[0])
        XCTAssertTrue(messages[1].contains("metadata.name: Invalid value: \"Bad_Name-n\""), messages[1])
        XCTAssertTrue(messages[1].contains("spec.containers[0].image: Required value"), messages[1])
        XCTAssertEqual(messages[2], "pod \"default/web-n\" is already defined in \(directory)/a-web.yaml")
        XCTAssertTrue(snapshot.problems.allSatisfy { !$0.description.contains("\n") })
    }

    func testAnEditThatBreaksAFileKeepsItsPodUntilFixedOrDeleted() throws {
        try write("web.yaml", web)
        let first = StaticPodSource.merge(previous: nil, current: StaticPodSource.scan(directory: directory, nodeName: "n"))
        try write("web.yaml", web + "\n  bogus: [")
        let broken = StaticPodSource.merge(previous: first, current: StaticPodSource.scan(directory: directory, nodeName: "n"))
        XCTAssertEqual(broken.pods, first.pods, "the running pod stays")
        XCTAssertEqual(broken.problems.count, 1)
        try Files.removeTree("\(directory)/web.yaml")
        let gone = StaticPodSource.merge(previous: broken, current: StaticPodSource.scan(directory: directory, nodeName: "n"))
        XCTAssertEqual(gone.pods, [])
        XCTAssertEqual(gone.problems, [])
    }

    func testTheWatcherSeesChangesWithinASecond() async throws {
        let stream = StaticPodWatcher.snapshots(directory: directory, nodeName: "n", rescanInterval: .seconds(60))
        var iterator = stream.makeAsyncIterator()
        let empty = await iterator.next()
        XCTAssertEqual(empty?.pods, [])
        let clock = ContinuousClock()
        let start = clock.now
        try write("web.yaml", web)
        let added = await iterator.next()
        XCTAssertEqual(added?.pods.map(\.fullName), ["default/web-n"])
        XCTAssertLessThan(clock.now - start, .seconds(5), "inotify, not the 60 s rescan")
        try Files.removeTree("\(directory)/web.yaml")
        let removed = await iterator.next()
        XCTAssertEqual(removed?.pods, [])
    }
}
