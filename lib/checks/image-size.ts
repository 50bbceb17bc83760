// Shared by the size rules (CCF010, CCF011): the size to judge — measured when an image was built and measured,
// else the static lower bound — and, for a measured image, its largest layers with their Dockerfile lines.
import { formatSize } from '../size-format';
import { ImageSubject } from './subject';
import { describeLayer, largestLayers } from '../measure/measurement';

export interface SubjectSize {
  readonly bytes: number;
  /** `measured` or `estimated ≥`, as the message says it. */
  readonly label: string;
  /** For a measured image: `; largest layers: 52 MB RUN pip install … (Dockerfile:7), …`; else empty. */
  readonly layersText: string;
}

/** The measured size when known, else the static lower bound. */
export function sizeOf(subject: ImageSubject): SubjectSize | undefined {
  const measurement = subject.measurement();
  if (measurement) {
    const layers = largestLayers(measurement, 5)
      .map(layer => `${formatSize(layer.sizeBytes)} ${describeLayer(layer, subject.dockerfilePath ?? 'Dockerfile')}`);
    return { bytes: measurement.sizeBytes, label: 'measured', layersText: layers.length > 0 ? `; largest layers: ${layers.join(', ')}` : '' };
  }
  if (subject.measuredSizeBytes !== undefined) return { bytes: subject.measuredSizeBytes, label: 'measured', layersText: '' };
  const estimate = subject.estimatedSizeBytes();
  return estimate === undefined ? undefined : { bytes: estimate, label: 'estimated ≥', layersText: '' };
}
