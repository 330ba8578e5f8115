/** Every in-memory Excel host in the tests runs the add-in through Microsoft's Office.js client (a vm copy each). */
import '../../src/excel-sim/officejs-node';
