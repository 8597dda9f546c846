import XCTest
@testable import KubeAPI

final class SchemaTests: XCTestCase {
    func testPodDefinitionsComeFromTheSwiftTypes() throws {
        let catalog = SchemaCatalog([Pod.self])
        XCTAssertEqual(catalog.failures, [])
        XCTAssertEqual(catalog.roots, ["io.k8s.api.core.v1.Pod"])
        let pod = try XCTUnwrap(catalog.definitions["io.k8s.api.core.v1.Pod"])
        XCTAssertEqual(pod.properties.map(\.name), ["apiVersion", "kind", "metadata", "spec", "status"])
        XCTAssertEqual(pod.properties[2].type, .definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
        let spec = try XCTUnwrap(catalog.definitions["io.k8s.api.core.v1.PodSpec"])
        XCTAssertEqual(spec.required, ["containers"])
        XCTAssertEqual(spec.properties.first { $0.name == "containers" }?.type, .array(.definition("io.k8s.api.core.v1.Container")))
        XCTAssertEqual(spec.properties.first { $0.name == "nodeSelector" }?.type, .map(.string(format: nil)))
        XCTAssertEqual(spec.properties.first { $0.name == "affinity" }?.type, .definition("io.k8s.api.core.v1.Affinity"))
        XCTAssertEqual(spec.properties.first { $0.name == "ephemeralContainers" }?.type, .array(.any))
        XCTAssertEqual(spec.properties.first { $0.name == "overhead" }?.type, .map(.definition("io.k8s.apimachinery.pkg.api.resource.Quantity")))
        let container = try XCTUnwrap(catalog.definitions["io.k8s.api.core.v1.Container"])
        XCTAssertEqual(container.required, ["name"])
        XCTAssertEqual(container.properties.first { $0.name == "imagePullPolicy" }?.type, .enumeration(["Always", "IfNotPresent", "Never"]))
        let volume = try XCTUnwrap(catalog.definitions["io.k8s.api.core.v1.Volume"])
        XCTAssertTrue(volume.properties.map(\.name).contains("nfs"))
        let status = try XCTUnwrap(catalog.definitions["io.k8s.api.core.v1.ContainerStatus"])
        XCTAssertFalse(status.required.contains("state"))
    }
}
