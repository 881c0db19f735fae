package dev.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code linux.resources}: the cgroup settings (also the input of {@code update --resources}). */
public record Resources(
        List<DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        BlockIO blockIO,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Map<String, Rdma> rdma,
        Map<String, String> unified) {

    public record DeviceRule(Boolean allow, String type, Long major, Long minor, String access) {}

    public record Memory(
            Long limit,
            Long reservation,
            Long swap,
            Long kernel,
            Long kernelTCP,
            Long swappiness,
            Boolean disableOOMKiller,
            Boolean useHierarchy,
            Boolean checkBeforeUpdate) {}

    public record Cpu(
            Long shares,
            Long quota,
            Long burst,
            Long period,
            Long realtimeRuntime,
            Long realtimePeriod,
            String cpus,
            String mems,
            Long idle) {}

    public record Pids(Long limit) {}

    public record BlockIO(
            Integer weight,
            Integer leafWeight,
            List<WeightDevice> weightDevice,
            List<ThrottleDevice> throttleReadBpsDevice,
            List<ThrottleDevice> throttleWriteBpsDevice,
            @JsonProperty("throttleReadIOPSDevice") List<ThrottleDevice> throttleReadIopsDevice,
            @JsonProperty("throttleWriteIOPSDevice") List<ThrottleDevice> throttleWriteIopsDevice) {}

    public record WeightDevice(Long major, Long minor, Integer weight, Integer leafWeight) {}

    public record ThrottleDevice(Long major, Long minor, Long rate) {}

    public record HugepageLimit(String pageSize, Long limit) {}

    public record Network(Long classID, List<InterfacePriority> priorities) {}

    public record InterfacePriority(String name, Long priority) {}

    public record Rdma(Long hcaHandles, Long hcaObjects) {}
}
