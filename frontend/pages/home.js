// The phone's home page: the offline machinery, the outbox list, the three lists' tabs.
import "../../static/mobile/offline.js";
import "../../static/mobile/tabs.js";
import "../../static/mobile/outbox-list.js";
