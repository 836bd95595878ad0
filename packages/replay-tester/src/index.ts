export const packageName = "@dtcheck/replay-tester";
