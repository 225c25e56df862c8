/*
 * logbeam's only Java: a Beam pipeline-resources detector that finds nothing to stage.
 *
 * Beam's Flink job server ships every jar of its own class path (152 MB) to a remote Flink cluster with each
 * job (FlinkJobInvoker calls PipelineResources.detectClassPathResourcesToStage, whatever filesToStage says).
 * logbeam's pipelines run their user code in Node SDK harnesses and need no Java beyond the runner's classes,
 * which a cluster started for Beam already has in its lib/. The portable runner selects this factory with the
 * pipeline option pipelineResourcesDetectorFactoryClass=logbeam.NoFilesToStage, so a job ships no jars.
 * Compiled by runners/portable/scripts/fetch-beam.sh into the job server's class path.
 */
package logbeam;

import java.util.Collections;
import org.apache.beam.sdk.util.construction.resources.PipelineResourcesDetector;

public final class NoFilesToStage implements PipelineResourcesDetector.Factory {
  public static NoFilesToStage create() {
    return new NoFilesToStage();
  }

  @Override
  public PipelineResourcesDetector getPipelineResourcesDetector() {
    return classLoader -> Collections.emptyList();
  }
}
