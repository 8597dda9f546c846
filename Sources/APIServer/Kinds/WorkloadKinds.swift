import Foundation
import KubeAPI

// Workloads: apps/v1 deployments, replicasets, daemonsets, statefulsets and
// controllerrevisions; batch/v1 jobs and cronjobs; policy/v1 poddisruptionbudgets. Their
// pod templates are defaulted and validated as pods are; the controllers come later.
extension ResourceType {
    static let deployments = ResourceType(
        group: "apps", version: "v1", name: "deployments", singular: "deployment", kind: "Deployment", namespaced: true,
        shortNames: ["deploy"],
        schema: AppsV1.Deployment.self,
        columns: [
            Column("Ready", "Number of the pod with ready state") { object in
                .string("\(int(object["status"]?["readyReplicas"]))/\(int(object["spec"]?["replicas"]))")
            },
            Column("Up-to-date", type: "integer", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.") {
                .int(int($0["status"]?["updatedReplicas"]))
            },
            Column("Available", type: "integer", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.") {
                .int(int($0["status"]?["availableReplicas"]))
            },
            ageColumn,
        ] + templateColumns(),
        applyDefaults: { object in
            defaultReplicas(&object)
            var spec = object["spec"]?.objectValue ?? [:]
            if spec["strategy"] == nil || spec["strategy"]?["type"]?.stringValue == "RollingUpdate" {
                var rolling = spec["strategy"]?["rollingUpdate"]?.objectValue ?? [:]
                if rolling["maxSurge"] == nil { rolling["maxSurge"] = "25%" }
                if rolling["maxUnavailable"] == nil { rolling["maxUnavailable"] = "25%" }
                spec["strategy"] = .object(["type": "RollingUpdate", "rollingUpdate": .object(rolling)])
            }
            if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = .int(10) }
            if spec["progressDeadlineSeconds"] == nil { spec["progressDeadlineSeconds"] = .int(600) }
            object["spec"] = .object(spec)
        },
        typed: workload("Deployment", group: "apps"),
        subresources: [.status, .scale], tracksGeneration: true, categories: ["all"])

    static let replicaSets = ResourceType(
        group: "apps", version: "v1", name: "replicasets", singular: "replicaset", kind: "ReplicaSet", namespaced: true,
        shortNames: ["rs"],
        schema: AppsV1.ReplicaSet.self,
        columns: [
            Column("Desired", type: "integer", "Replicas is the number of desired replicas.") { .int(int($0["spec"]?["replicas"])) },
            Column("Current", type: "integer", "Replicas is the most recently observed number of replicas.") { .int(int($0["status"]?["replicas"])) },
            Column("Ready", type: "integer", "The number of ready replicas for this replica set.") { .int(int($0["status"]?["readyReplicas"])) },
            ageColumn,
        ] + templateColumns(),
        applyDefaults: { defaultReplicas(&$0) },
        typed: workload("ReplicaSet", group: "apps"),
        subresources: [.status, .scale], tracksGeneration: true, categories: ["all"])

    static let daemonSets = ResourceType(
        group: "apps", version: "v1", name: "daemonsets", singular: "daemonset", kind: "DaemonSet", namespaced: true,
        shortNames: ["ds"],
        schema: AppsV1.DaemonSet.self,
        columns: [
            Column("Desired", type: "integer", "The total number of nodes that should be running the daemon pod.") { .int(int($0["status"]?["desiredNumberScheduled"])) },
            Column("Current", type: "integer", "The number of nodes that are running at least 1 daemon pod.") { .int(int($0["status"]?["currentNumberScheduled"])) },
            Column("Ready", type: "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.") {
                .int(int($0["status"]?["numberReady"]))
            },
            Column("Up-to-date", type: "integer", "The total number of nodes that are running updated daemon pod") { .int(int($0["status"]?["updatedNumberScheduled"])) },
            Column("Available", type: "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.") {
                .int(int($0["status"]?["numberAvailable"]))
            },
            Column("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node.") {
                .string(formatMap($0["spec"]?["template"]?["spec"]?["nodeSelector"]))
            },
            ageColumn,
        ] + templateColumns(),
        applyDefaults: { object in
            var spec = object["spec"]?.objectValue ?? [:]
            if spec["updateStrategy"] == nil || spec["updateStrategy"]?["type"]?.stringValue == "RollingUpdate" {
                var rolling = spec["updateStrategy"]?["rollingUpdate"]?.objectValue ?? [:]
                if rolling["maxUnavailable"] == nil { rolling["maxUnavailable"] = .int(1) }
                if rolling["maxSurge"] == nil { rolling["maxSurge"] = .int(0) }
                spec["updateStrategy"] = .object(["type": "RollingUpdate", "rollingUpdate": .object(rolling)])
            }
            if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = .int(10) }
            object["spec"] = .object(spec)
        },
        typed: workload("DaemonSet", group: "apps"),
        subresources: [.status], tracksGeneration: true, categories: ["all"])

    static let statefulSets = ResourceType(
        group: "apps", version: "v1", name: "statefulsets", singular: "statefulset", kind: "StatefulSet", namespaced: true,
        shortNames: ["sts"],
        schema: AppsV1.StatefulSet.self,
        columns: [
            Column("Ready", "Number of the pod with ready state") { object in
                .string("\(int(object["status"]?["readyReplicas"]))/\(int(object["spec"]?["replicas"]))")
            },
            ageColumn,
        ] + templateColumns(selectorPath: nil),
        applyDefaults: { object in
            defaultReplicas(&object)
            var spec = object["spec"]?.objectValue ?? [:]
            if spec["podManagementPolicy"] == nil { spec["podManagementPolicy"] = "OrderedReady" }
            if spec["updateStrategy"] == nil {
                spec["updateStrategy"] = .object(["type": "RollingUpdate", "rollingUpdate": .object(["partition": .int(0)])])
            }
            if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = .int(10) }
            if spec["persistentVolumeClaimRetentionPolicy"] == nil {
                spec["persistentVolumeClaimRetentionPolicy"] = .object(["whenDeleted": "Retain", "whenScaled": "Retain"])
            }
            object["spec"] = .object(spec)
        },
        typed: workload("StatefulSet", group: "apps"),
        subresources: [.status, .scale], tracksGeneration: true, categories: ["all"])

    static let controllerRevisions = ResourceType(
        group: "apps", version: "v1", name: "controllerrevisions", singular: "controllerrevision", kind: "ControllerRevision",
        namespaced: true, shortNames: [],
        schema: AppsV1.ControllerRevision.self,
        columns: [
            Column("Controller", "Controller of the object") { revision in
                guard let owner = array(revision["metadata"]?["ownerReferences"]).first(where: { $0["controller"] == .bool(true) }) else { return "<none>" }
                let group = (owner["apiVersion"]?.stringValue ?? "").split(separator: "/").dropLast().first.map { ".\($0)" } ?? ""
                return .string("\((owner["kind"]?.stringValue ?? "").lowercased())\(group)/\(owner["name"]?.stringValue ?? "")")
            },
            Column("Revision", type: "integer", "Revision indicates the revision of the state represented by Data.") { .int(int($0["revision"])) },
            ageColumn,
        ])

    static let jobs = ResourceType(
        group: "batch", version: "v1", name: "jobs", singular: "job", kind: "Job", namespaced: true,
        shortNames: [],
        schema: BatchV1.Job.self,
        columns: [
            Column("Status", "Status of the job.") { .string(jobStatus($0)) },
            Column("Completions", "The completion status of the job") { job in
                let succeeded = int(job["status"]?["succeeded"])
                if let completions = job["spec"]?["completions"], completions != .null { return .string("\(succeeded)/\(int(completions))") }
                let parallelism = int(job["spec"]?["parallelism"])
                return .string(parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1")
            },
            Column("Duration", "Time required to complete the job.") { job in
                guard let start = job["status"]?["startTime"]?.stringValue, let started = ISO8601DateFormatter().date(from: start) else { return "" }
                let end = job["status"]?["completionTime"]?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date()
                return .string(humanDuration(max(0, end.timeIntervalSince(started))))
            },
            ageColumn,
        ] + templateColumns(),
        applyDefaults: { object in
            var spec = object["spec"]?.objectValue ?? [:]
            if spec["parallelism"] == nil { spec["parallelism"] = .int(1) }
            if spec["completions"] == nil, spec["parallelism"] == .int(1) { spec["completions"] = .int(1) }
            if spec["backoffLimit"] == nil { spec["backoffLimit"] = .int(6) }
            if spec["completionMode"] == nil { spec["completionMode"] = "NonIndexed" }
            if spec["suspend"] == nil { spec["suspend"] = .bool(false) }
            if spec["podReplacementPolicy"] == nil { spec["podReplacementPolicy"] = "TerminatingOrFailed" }
            if spec["manualSelector"] == nil, spec["selector"] == nil, let uid = object["metadata"]?["uid"]?.stringValue {
                // The job controller's selector: its own uid, set on the template's labels too.
                spec["selector"] = .object(["matchLabels": .object(["batch.kubernetes.io/controller-uid": .string(uid)])])
                var labels = spec["template"]?["metadata"]?["labels"]?.objectValue ?? [:]
                labels["batch.kubernetes.io/controller-uid"] = .string(uid)
                labels["controller-uid"] = .string(uid)
                labels["batch.kubernetes.io/job-name"] = object["metadata"]?["name"] ?? ""
                labels["job-name"] = object["metadata"]?["name"] ?? ""
                var template = spec["template"]?.objectValue ?? [:]
                var metadata = template["metadata"]?.objectValue ?? [:]
                metadata["labels"] = .object(labels)
                template["metadata"] = .object(metadata)
                spec["template"] = .object(template)
            }
            object["spec"] = .object(spec)
        },
        // A Job's selector is the server's to generate unless manualSelector says otherwise.
        typed: workload("Job", group: "batch", selectorRequired: false),
        subresources: [.status], tracksGeneration: true, categories: ["all"])

    /// Complete, Failed, Suspended, Running or Terminating, as kubectl 1.32 prints a Job.
    private static func jobStatus(_ job: JSONValue) -> String {
        let conditions = array(job["status"]?["conditions"]).filter { $0["status"]?.stringValue == "True" }.compactMap { $0["type"]?.stringValue }
        for type in ["Complete", "Failed", "SuccessCriteriaMet", "FailureTarget", "Suspended"] where conditions.contains(type) { return type }
        if job["metadata"]?["deletionTimestamp"] != nil { return "Terminating" }
        return "Running"
    }

    static let cronJobs = ResourceType(
        group: "batch", version: "v1", name: "cronjobs", singular: "cronjob", kind: "CronJob", namespaced: true,
        shortNames: ["cj"],
        schema: BatchV1.CronJob.self,
        columns: [
            Column("Schedule", "The schedule for running the job") { $0["spec"]?["schedule"] ?? "" },
            Column("Timezone", "The time zone for the schedule") { orNone($0["spec"]?["timeZone"]?.stringValue) },
            Column("Suspend", type: "boolean", "Whether the job is suspended") { $0["spec"]?["suspend"] ?? .bool(false) },
            Column("Active", type: "integer", "Number of active jobs") { .int(Int64(array($0["status"]?["active"]).count)) },
            Column("Last Schedule", "When the last job was scheduled") { cronJob in
                guard let last = cronJob["status"]?["lastScheduleTime"]?.stringValue else { return "<none>" }
                return .string(age(last))
            },
            ageColumn,
        ] + templateColumns(templatePath: ["spec", "jobTemplate", "spec", "template"], selectorPath: ["spec", "jobTemplate", "spec", "selector"]),
        applyDefaults: { object in
            var spec = object["spec"]?.objectValue ?? [:]
            if spec["concurrencyPolicy"] == nil { spec["concurrencyPolicy"] = "Allow" }
            if spec["suspend"] == nil { spec["suspend"] = .bool(false) }
            if spec["successfulJobsHistoryLimit"] == nil { spec["successfulJobsHistoryLimit"] = .int(3) }
            if spec["failedJobsHistoryLimit"] == nil { spec["failedJobsHistoryLimit"] = .int(1) }
            object["spec"] = .object(spec)
        },
        typed: { object throws(APIError) in
            try typedTemplate(&object, at: ["spec", "jobTemplate", "spec", "template"], kind: "CronJob")
        },
        subresources: [.status], tracksGeneration: true, categories: ["all"])

    static let podDisruptionBudgets = ResourceType(
        group: "policy", version: "v1", name: "poddisruptionbudgets", singular: "poddisruptionbudget", kind: "PodDisruptionBudget",
        namespaced: true, shortNames: ["pdb"],
        schema: PolicyV1.PodDisruptionBudget.self,
        columns: [
            Column("Min Available", "The minimum number of pods that must be available") { pdb in
                pdb["spec"]?["minAvailable"].map { $0.stringValue.map { .string($0) } ?? .string("\(int($0))") } ?? "N/A"
            },
            Column("Max Unavailable", "The maximum number of pods that may be unavailable") { pdb in
                pdb["spec"]?["maxUnavailable"].map { $0.stringValue.map { .string($0) } ?? .string("\(int($0))") } ?? "N/A"
            },
            Column("Allowed Disruptions", type: "integer", "Number of pod disruptions that are currently allowed") { .int(int($0["status"]?["disruptionsAllowed"])) },
            ageColumn,
        ],
        subresources: [.status], tracksGeneration: true)

    /// A workload's typed step: its selector against its template, then the template as a pod's.
    private static func workload(_ kind: String, group: String, selectorRequired: Bool = true)
        -> @Sendable (inout JSONValue) throws(APIError) -> Void {
        { object throws(APIError) in
            try validateWorkload(object, kind: kind, group: group, selectorRequired: selectorRequired)
            try typedTemplate(&object, at: ["spec", "template"], kind: kind)
        }
    }

    private static func defaultReplicas(_ object: inout JSONValue) {
        if object["spec"]?["replicas"] == nil { object["spec"]?["replicas"] = .int(1) }
    }
}
