/** Valid Fargate task sizes: CPU units → allowed memory (MiB). Source: ECS task-definition docs. */
const FARGATE_SIZES: ReadonlyArray<readonly [number, readonly number[]]> = [
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** CPU values Fargate accepts. */
export const FARGATE_CPUS: readonly number[] = FARGATE_SIZES.map(([cpu]) => cpu);

/** Memory sizes allowed with `cpu`, empty when the CPU value itself is invalid. */
export function fargateMemoryFor(cpu: number): readonly number[] {
  return FARGATE_SIZES.find(([c]) => c === cpu)?.[1] ?? [];
}
