/**
 * The pool of replicas waiting to move, indexed so that "the replica that best fills this
 * node's hole" is found without scanning every replica.
 *
 * Each pool class (replicas that share constraints) has a grid of GRID_CELLS × GRID_CELLS cells
 * by (CPU, memory) request. A node's free (CPU, memory) rules out every cell above it, and cells
 * are visited from the largest down, so once the gap to a cell's upper corner exceeds the best
 * fit found, the rest of that column, and then every smaller column, is skipped.
 */
import { type RepackModel, type TPoolClass } from "./repack-model";

const GRID_CELLS = 32;
/** Replicas looked at per cell before moving on; cells are sorted largest first. */
const CELL_SCAN_DEPTH = 8;

function cellOf(model: RepackModel, item: number): number {
  const x = Math.min(GRID_CELLS - 1, Math.floor(model.itemCpu[item]! / model.cellCpu));
  const y = Math.min(GRID_CELLS - 1, Math.floor(model.itemMemory[item]! / model.cellMemory));

  return x * GRID_CELLS + y;
}

/** Replicas that must move: those of known apps on nodes that are not kept. */
function poolItems(model: RepackModel): number[] {
  const items: number[] = [];
  for (let item = 0; item < model.replicaIds.length; item++) {
    if (model.itemClass[item]! >= 0 && model.kept[model.itemOrigin[item]!] === 0) {
      items.push(item);
    }
  }

  return items;
}

function sizeGrid(model: RepackModel, items: readonly number[]): void {
  let cpu = 1;
  let memory = 1;
  for (const item of items) {
    cpu = Math.max(cpu, model.itemCpu[item]!);
    memory = Math.max(memory, model.itemMemory[item]!);
  }
  model.cellCpu = cpu / GRID_CELLS;
  model.cellMemory = memory / GRID_CELLS;
}

/** Puts every replica that must move into its class's grid, largest first in each cell. */
export function createPool(model: RepackModel): void {
  const items = poolItems(model);
  sizeGrid(model, items);
  for (const poolClass of model.classes) {
    poolClass.cells = Array.from({ length: GRID_CELLS * GRID_CELLS }, () => []);
    poolClass.columnTop = new Int32Array(GRID_CELLS).fill(-1);
  }
  for (const item of items) {
    const poolClass = model.classes[model.itemClass[item]!]!;
    const cell = cellOf(model, item);
    model.itemCell[item] = cell;
    poolClass.cells[cell]!.push(item);
    poolClass.size++;
    model.inPool[item] = 1;
  }
  model.poolSize = items.length;
  for (const poolClass of model.classes) {
    poolClass.cells.forEach((cell) => cell.sort((a, b) => model.itemSize[b]! - model.itemSize[a]!));
    for (let x = 0; x < GRID_CELLS; x++) {
      refreshColumnTop(poolClass, x);
    }
  }
}

/** Finds the highest non-empty cell of column x, so searches skip the empty ones above. */
function refreshColumnTop(poolClass: TPoolClass, x: number): void {
  let y = GRID_CELLS - 1;
  while (y >= 0 && poolClass.cells[x * GRID_CELLS + y]!.length === 0) {
    y--;
  }
  poolClass.columnTop[x] = y;
}

/** Takes a replica out of the pool: it has been placed, or its node is kept after all. */
export function removeFromPool(model: RepackModel, item: number): void {
  const poolClass = model.classes[model.itemClass[item]!]!;
  const cellIndex = model.itemCell[item]!;
  const cell = poolClass.cells[cellIndex]!;
  cell.splice(cell.indexOf(item), 1);
  if (cell.length === 0) {
    refreshColumnTop(poolClass, Math.floor(cellIndex / GRID_CELLS));
  }
  poolClass.size--;
  model.poolSize--;
  model.inPool[item] = 0;
}

type THole = { node: number; cpu: number; memory: number; cpuScale: number; memoryScale: number };

type TBest = { item: number; misfit: number };

/** The first replica in a cell (the largest) that fits the hole and the node's rules. */
function firstFit(model: RepackModel, cell: readonly number[], hole: THole): number {
  const depth = Math.min(cell.length, CELL_SCAN_DEPTH);
  for (let j = 0; j < depth; j++) {
    const item = cell[j]!;
    const fits = model.itemCpu[item]! <= hole.cpu && model.itemMemory[item]! <= hole.memory;
    if (fits && model.rulesAllow(item, hole.node)) {
      return item;
    }
  }

  return -1;
}

/**
 * misfit = ((free CPU − c) / capacity)² + ((free memory − m) / capacity)²; smaller is better.
 */
function misfitOf(model: RepackModel, item: number, hole: THole): number {
  const cpu = (hole.cpu - model.itemCpu[item]!) * hole.cpuScale;
  const memory = (hole.memory - model.itemMemory[item]!) * hole.memoryScale;

  return cpu * cpu + memory * memory;
}

/** Squared distance from the hole to a cell's upper corner: no replica in it fits better. */
function gap(free: number, cellIndex: number, cellSize: number, scale: number): number {
  const distance = Math.max(0, free - (cellIndex + 1) * cellSize) * scale;

  return distance * distance;
}

function searchClass(model: RepackModel, poolClass: TPoolClass, hole: THole, best: TBest): void {
  const maxX = Math.min(GRID_CELLS - 1, Math.floor(hole.cpu / model.cellCpu));
  const maxY = Math.min(GRID_CELLS - 1, Math.floor(hole.memory / model.cellMemory));
  for (let x = maxX; x >= 0; x--) {
    const gapX = gap(hole.cpu, x, model.cellCpu, hole.cpuScale);
    if (gapX >= best.misfit) {
      return;
    }
    for (let y = Math.min(maxY, poolClass.columnTop[x]!); y >= 0; y--) {
      if (gapX + gap(hole.memory, y, model.cellMemory, hole.memoryScale) >= best.misfit) {
        break;
      }
      const cell = poolClass.cells[x * GRID_CELLS + y]!;
      const item = cell.length > 0 ? firstFit(model, cell, hole) : -1;
      const misfit = item >= 0 ? misfitOf(model, item, hole) : Infinity;
      if (misfit < best.misfit) {
        best.item = item;
        best.misfit = misfit;
      }
    }
  }
}

/** The pooled replica that leaves the node's free capacity closest to zero, or -1. */
export function pickForNode(model: RepackModel, node: number): number {
  const hole: THole = {
    node,
    cpu: model.cpuCapacity[node]! - model.cpuLoad[node]!,
    memory: model.memoryCapacity[node]! - model.memoryLoad[node]!,
    cpuScale: 1 / Math.max(1, model.cpuCapacity[node]!),
    memoryScale: 1 / Math.max(1, model.memoryCapacity[node]!),
  };
  const best: TBest = { item: -1, misfit: Infinity };
  if (hole.cpu < 0 || hole.memory < 0) {
    return -1;
  }
  for (const poolClass of model.classes) {
    if (poolClass.size > 0 && poolClass.mask[node] === 1) {
      searchClass(model, poolClass, hole, best);
    }
  }

  return best.item;
}
